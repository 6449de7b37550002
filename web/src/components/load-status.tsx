import { useTranslation } from 'react-i18next';
import { errorText } from '../errors';
import type { LoadState } from '../use-load';

/**
 * What a list or panel shows while its `useLoad` is not done: "Loading…" as a polite status, or
 * the failure as an error alert (message from `describe`, by default `errorText`, computed in the
 * current UI language). Renders nothing once done.
 *
 * `quietFailure` drops `role="alert"` from the failure (secondary content whose failure should
 * not interrupt); `inLiveRegion` drops both roles, for a caller that wraps this in its own live
 * region.
 */
export function LoadStatus({
  state,
  describe,
  quietFailure = false,
  inLiveRegion = false,
}: {
  state: LoadState<unknown>;
  describe?: (error: unknown) => string;
  quietFailure?: boolean;
  inLiveRegion?: boolean;
}) {
  const { t } = useTranslation();
  if (state.phase === 'loading') {
    return <p role={inLiveRegion ? undefined : 'status'}>{t('common.loading')}</p>;
  }
  if (state.phase === 'failed') {
    return (
      <p className="alert alert--error" role={quietFailure || inLiveRegion ? undefined : 'alert'}>
        {describe === undefined ? errorText(t, state.error) : describe(state.error)}
      </p>
    );
  }
  return null;
}
