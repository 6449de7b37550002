import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  getChannels,
  maskWebhookUrl,
  NOTICE_PLATFORMS,
  setChannel,
  type DeliveryChannel,
  type NoticePlatform,
} from '../api-portal';
import { errorText } from '../errors';
import { ApiError } from '../http';
import { useLoad } from '../use-load';
import { InputField } from './field';
import { LoadStatus } from './load-status';
import { ErrorAlert } from './error-alert';
import { Fact } from './fact';
import { TaipeiTime } from './taipei-time';

/** The smallest webhook secret the server takes (HMAC-SHA256 key). */
const MIN_SECRET = 16;

/**
 * Admins: where each platform's takedown notices are delivered — a webhook (X-ARF v4 JSON signed
 * with HMAC-SHA256) and/or an e-mail address — with a form per platform to change it. The
 * webhook secret is write-only: the page only says whether one is set, and since saving replaces
 * the whole channel, keeping a webhook means entering its secret again. A webhook URL is shown
 * back without user info or query (they may carry tokens).
 */
export function DeliveryChannels() {
  const { t } = useTranslation();
  const id = useId();
  const { state, update } = useLoad((signal) => getChannels(signal), []);
  const [editing, setEditing] = useState<NoticePlatform | null>(null);
  const [status, setStatus] = useState('');

  const channels = state.phase === 'done' ? state.data : [];
  const channelOf = (platform: NoticePlatform) => channels.find((c) => c.platform === platform);

  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('channels.heading')}</h2>
      <p>{t('channels.intro')}</p>
      <LoadStatus state={state} />
      <p role="status" className="panel__status" data-testid="channel-status">
        {status}
      </p>
      {state.phase === 'done' && (
        <ul className="case-list" data-testid="channels">
          {NOTICE_PLATFORMS.map((platform) => {
            const channel = channelOf(platform);
            return (
              <li key={platform}>
                <article
                  className="case-card"
                  data-platform={platform}
                  aria-labelledby={`${id}-${platform}`}
                >
                  <h3 id={`${id}-${platform}`} className="case-card__title">
                    {t(`platform.${platform}`)}
                  </h3>
                  <ChannelFacts channel={channel} />
                  {editing === platform ? (
                    <ChannelForm
                      platform={platform}
                      channel={channel}
                      onCancel={() => setEditing(null)}
                      onSaved={(saved) => {
                        update((current) => [
                          ...current.filter((c) => c.platform !== platform),
                          saved,
                        ]);
                        setEditing(null);
                        setStatus(t('channels.saved', { platform: t(`platform.${platform}`) }));
                      }}
                    />
                  ) : (
                    <button
                      type="button"
                      className="button button--secondary"
                      onClick={() => {
                        setStatus('');
                        setEditing(platform);
                      }}
                    >
                      {t('channels.edit', { platform: t(`platform.${platform}`) })}
                    </button>
                  )}
                </article>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function ChannelFacts({ channel }: { channel: DeliveryChannel | undefined }) {
  const { t } = useTranslation();
  if (channel === undefined || (channel.webhookUrl === null && channel.email === null)) {
    return (
      <p className="text-danger" data-testid="channel-none">
        {t('channels.none')}
      </p>
    );
  }
  return (
    <dl className="facts">
      <Fact term={t('channels.webhook')} testId="channel-webhook">
        {channel.webhookUrl === null ? (
          t('channels.notSet')
        ) : (
          <>
            <code className="break">{maskWebhookUrl(channel.webhookUrl)}</code>{' '}
            {channel.webhookSigned ? t('channels.signed') : t('channels.unsigned')}
          </>
        )}
      </Fact>
      <Fact term={t('channels.email')} testId="channel-email">
        {channel.email === null ? (
          t('channels.notSet')
        ) : (
          <code className="break">{channel.email}</code>
        )}
      </Fact>
      <Fact term={t('channels.updatedAt')}>
        <TaipeiTime iso={channel.updatedAt} />
      </Fact>
    </dl>
  );
}

type ChannelField = 'webhookUrl' | 'webhookSecret' | 'email';
type FieldErrors = Partial<Record<ChannelField | 'form', string>>;

function isField(name: string | undefined): name is ChannelField {
  return name === 'webhookUrl' || name === 'webhookSecret' || name === 'email';
}

function ChannelForm({
  platform,
  channel,
  onCancel,
  onSaved,
}: {
  platform: NoticePlatform;
  channel: DeliveryChannel | undefined;
  onCancel: () => void;
  onSaved: (channel: DeliveryChannel) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const current = channel?.webhookUrl ?? null;
  // A stored URL is put back in the field only when showing it hides nothing.
  const [webhookUrl, setWebhookUrl] = useState(
    current !== null && maskWebhookUrl(current) === current ? current : '',
  );
  const [secret, setSecret] = useState('');
  const [email, setEmail] = useState(channel?.email ?? '');
  const [removeWebhook, setRemoveWebhook] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  function check(): FieldErrors {
    const found: FieldErrors = {};
    const url = removeWebhook ? '' : webhookUrl.trim();
    if (current !== null && url === '' && !removeWebhook) {
      found.webhookUrl = t('channels.keepOrRemove');
    } else if (url !== '' && !/^https?:\/\/[^\s/]+/i.test(url)) {
      found.webhookUrl = t('channels.urlInvalid');
    }
    if (url !== '' && secret.length < MIN_SECRET) {
      found.webhookSecret = t('channels.secretShort', { min: MIN_SECRET });
    }
    const mail = email.trim();
    if (mail !== '' && !/^[^\s@]+@[^\s@]+$/.test(mail)) found.email = t('channels.emailInvalid');
    return found;
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const found = check();
    setErrors(found);
    const first = (['webhookUrl', 'webhookSecret', 'email'] as const).find(
      (field) => found[field] !== undefined,
    );
    if (first !== undefined) {
      document.getElementById(`${id}-${first}`)?.focus();
      return;
    }
    const url = removeWebhook ? '' : webhookUrl.trim();
    const mail = email.trim();
    setBusy(true);
    try {
      onSaved(
        await setChannel(platform, {
          webhookUrl: url === '' ? null : url,
          webhookSecret: url === '' ? null : secret,
          email: mail === '' ? null : mail,
        }),
      );
    } catch (error) {
      const message = errorText(t, error);
      setErrors(
        error instanceof ApiError && isField(error.field)
          ? { [error.field]: message }
          : { form: message },
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={(event) => void onSubmit(event)} noValidate>
      <InputField
        id={`${id}-webhookUrl`}
        label={t('channels.webhookUrl')}
        optional
        hint={
          current === null
            ? undefined
            : t('channels.currentWebhook', { url: maskWebhookUrl(current) })
        }
        error={errors.webhookUrl}
        type="url"
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
        value={webhookUrl}
        disabled={removeWebhook}
        onChange={setWebhookUrl}
      />
      {current !== null && (
        <label className="choice">
          <input
            type="checkbox"
            checked={removeWebhook}
            onChange={(event) => setRemoveWebhook(event.target.checked)}
          />
          {t('channels.removeWebhook')}
        </label>
      )}
      <InputField
        id={`${id}-webhookSecret`}
        label={t('channels.secret')}
        hint={t('channels.secretHint', { min: MIN_SECRET })}
        error={errors.webhookSecret}
        type="password"
        autoComplete="new-password"
        spellCheck={false}
        value={secret}
        disabled={removeWebhook}
        onChange={setSecret}
      />
      <InputField
        id={`${id}-email`}
        label={t('channels.email')}
        optional
        error={errors.email}
        type="email"
        autoComplete="off"
        value={email}
        onChange={setEmail}
      />
      <ErrorAlert message={errors.form} />
      <div className="notice-actions">
        <button type="submit" className="button" aria-busy={busy}>
          {t('channels.save')}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('channels.cancel')}
        </button>
      </div>
    </form>
  );
}
