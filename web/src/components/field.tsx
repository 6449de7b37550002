import { useId, type ComponentProps, type ReactNode, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { isOneOf } from '../reader';

/** What a Field hands its control: spread it on the input, select or textarea. */
export interface FieldControl {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

/** An id, or nothing (a hint or an error that is not shown). */
type MaybeId = string | false | null | undefined;

/** The id of the error of the Field or ChoiceGroup whose id is `id` (for a control inside a group). */
export function fieldErrorId(id: string): string {
  return `${id}-error`;
}

/** `ids` joined for aria-describedby, without the missing ones; undefined when none is left. */
function joinIds(ids: readonly MaybeId[]): string | undefined {
  const present = ids.filter((part): part is string => typeof part === 'string' && part !== '');
  return present.length === 0 ? undefined : present.join(' ');
}

/**
 * The props of a Field whose control the error `message` is about when that error is shown
 * elsewhere (a form's error, element id `errorId`): while there is one, the control is marked
 * invalid and described by it.
 */
export function errorLink(
  message: string | null,
  errorId: string,
): { invalid: boolean; describedBy: MaybeId[] } {
  return { invalid: message !== null, describedBy: [message !== null && errorId] };
}

/** What a Field says around its control. */
export interface FieldProps {
  /** The label's text: the control's accessible name. */
  label: ReactNode;
  /** Marks the label optional: `true` says `common.optional`; a string says that instead. */
  optional?: boolean | string;
  /** Help about what to enter, linked to the control. */
  hint?: ReactNode;
  /** Puts the hint below the control (fields side by side) instead of above it. */
  hintBelow?: boolean;
  /** The field's own error, shown under the control; it marks the control invalid. */
  error?: string | null;
  /** Marks the control invalid when its error is shown elsewhere (named in `describedBy`). */
  invalid?: boolean;
  /** Ids of other elements that describe the control: a hint shared by fields, a form's error. */
  describedBy?: readonly MaybeId[];
  /** The control's id, when the form needs it (to focus the first invalid field). */
  id?: string;
  /** More classes for the wrapper, e.g. `field--full`. */
  className?: string;
}

/**
 * One form field: its label, an optional hint, the control and its error, wired together — the
 * label names the control (`htmlFor`), the hint, any `describedBy` ids and the error describe it
 * (`aria-describedby`, in that order), and an error marks it invalid (`aria-invalid`). The error's
 * id ends in `-error`, the hint's in `-hint`.
 *
 * The control is rendered by `children`, given its id and ARIA props, so any input, select or
 * textarea (with a button beside it, or more below) fits:
 *
 * ```tsx
 * <Field label={t('blocklist.domain')} error={domainError}>
 *   {(control) => <input {...control} type="text" value={domain} onChange={…} />}
 * </Field>
 * ```
 *
 * The hint stands above the control, where it is read before typing, unless `hintBelow`: in grids
 * of fields side by side (`form--grid`, filters) it goes below, so that the controls line up.
 */
export function Field({
  label,
  optional = false,
  hint,
  hintBelow = false,
  error,
  invalid,
  describedBy = [],
  id,
  className,
  children,
}: FieldProps & { children: (control: FieldControl) => ReactNode }) {
  const { t } = useTranslation();
  const madeId = useId();
  const controlId = id ?? madeId;
  const hintId = `${controlId}-hint`;
  const errorId = fieldErrorId(controlId);
  const hasError = error !== undefined && error !== null;
  const hintElement = hint !== undefined && (
    <p className="field__hint" id={hintId}>
      {hint}
    </p>
  );

  return (
    <div className={className === undefined ? 'field' : `field ${className}`}>
      <label htmlFor={controlId}>
        {label}
        {optional !== false && (
          <>
            {' '}
            <span className="field__optional">
              {optional === true ? t('common.optional') : optional}
            </span>
          </>
        )}
      </label>
      {!hintBelow && hintElement}
      {children({
        id: controlId,
        'aria-invalid': invalid ?? hasError,
        'aria-describedby': joinIds([
          hint !== undefined && hintId,
          ...describedBy,
          hasError && errorId,
        ]),
      })}
      {hintBelow && hintElement}
      {hasError && (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * A group of radio buttons or checkboxes (`<label className="choice">` each, given as children)
 * under a legend, with an optional hint and the group's error, both linked to the fieldset
 * (`aria-describedby`); an error marks it invalid. A control inside that needs the error too
 * names `fieldErrorId(id)`.
 */
export function ChoiceGroup({
  legend,
  hint,
  error,
  id,
  className = 'field choices',
  children,
}: {
  legend: ReactNode;
  /** Help about the choice, linked to the group. */
  hint?: ReactNode;
  /** The group's error (nothing chosen), shown under the choices. */
  error?: string | null;
  /** The group's id, when a control inside refers to its error. */
  id?: string;
  /** The fieldset's classes: `field choices` (a bordered group) unless told otherwise. */
  className?: string;
  children: ReactNode;
}) {
  const madeId = useId();
  const groupId = id ?? madeId;
  const hintId = `${groupId}-hint`;
  const errorId = fieldErrorId(groupId);
  const hasError = error !== undefined && error !== null;
  return (
    <fieldset
      className={className}
      aria-invalid={hasError}
      aria-describedby={joinIds([hint !== undefined && hintId, hasError && errorId])}
    >
      <legend>{legend}</legend>
      {hint !== undefined && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      {children}
      {hasError && (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

/**
 * A ChoiceGroup of radio buttons, one a value of `values` (named `text(value)`), the one equal
 * to `value` checked; `onChange` gets the value chosen. `firstRef` is given the first radio, to
 * focus when nothing is chosen.
 */
export function RadioGroup<T extends string>({
  values,
  value,
  text,
  onChange,
  firstRef,
  ...group
}: {
  legend: ReactNode;
  error?: string | null;
  values: readonly T[];
  value: T | '' | null;
  text: (value: T) => string;
  onChange: (value: T) => void;
  firstRef?: Ref<HTMLInputElement>;
}) {
  const name = useId();
  return (
    <ChoiceGroup {...group}>
      {values.map((option, index) => (
        <label key={option} className="choice">
          <input
            ref={index === 0 ? firstRef : undefined}
            type="radio"
            name={name}
            value={option}
            checked={value === option}
            onChange={() => onChange(option)}
          />
          {text(option)}
        </label>
      ))}
    </ChoiceGroup>
  );
}

/**
 * A Field whose control is a select of `values` (each shown as `text(value)`), after an empty
 * choice when `empty` names it. `onChange` gets the value chosen, or '' for the empty choice (or
 * a value not in `values`).
 */
export function SelectField<T extends string>({
  value,
  values,
  text,
  empty,
  onChange,
  ...field
}: FieldProps & {
  value: T | '';
  values: readonly T[];
  text: (value: T) => string;
  /** The label of the empty choice (''); none without it. */
  empty?: string;
  onChange: (value: T | '') => void;
}) {
  return (
    <Field {...field}>
      {(control) => (
        <select
          {...control}
          value={value}
          onChange={(event) => {
            const next = event.target.value;
            onChange(isOneOf(values, next) ? next : '');
          }}
        >
          {empty !== undefined && <option value="">{empty}</option>}
          {values.map((option) => (
            <option key={option} value={option}>
              {text(option)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/**
 * A SelectField without an empty choice, for a value that must be one of `values`: `onChange`
 * gets only those (the select cannot give another).
 */
export function RequiredSelectField<T extends string>({
  onChange,
  ...select
}: FieldProps & {
  value: T;
  values: readonly T[];
  text: (value: T) => string;
  onChange: (value: T) => void;
}) {
  return (
    <SelectField
      {...select}
      onChange={(value) => {
        if (value !== '') onChange(value);
      }}
    />
  );
}

/** The props of Field, taken off a text field's props; the rest go to its control. */
function splitField<P extends FieldProps>({
  label,
  optional,
  hint,
  hintBelow,
  error,
  invalid,
  describedBy,
  id,
  className,
  ...control
}: P) {
  return {
    field: { label, optional, hint, hintBelow, error, invalid, describedBy, id, className },
    control,
  };
}

/** What a text field passes to its control besides its value: type, name, autoComplete, ref… */
type ControlProps<E> = Omit<E, keyof FieldProps | 'value' | 'onChange' | 'children'>;

/**
 * A Field whose control is an `<input>` (type `text` unless told) showing `value`; `onChange`
 * gets the text as typed. Every other prop (type, name, autoComplete, spellCheck, ref, disabled…)
 * goes to the input.
 */
export function InputField(
  props: FieldProps &
    ControlProps<ComponentProps<'input'>> & { value: string; onChange: (value: string) => void },
) {
  const { field, control } = splitField(props);
  const { value, onChange, type = 'text', ...rest } = control;
  return (
    <Field {...field}>
      {(aria) => (
        <input
          {...aria}
          {...rest}
          type={type}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

/**
 * A Field whose control is a `<textarea>` showing `value`; `onChange` gets the text as typed.
 * Every other prop (rows, name, maxLength, disabled…) goes to the textarea.
 */
export function TextAreaField(
  props: FieldProps &
    ControlProps<ComponentProps<'textarea'>> & { value: string; onChange: (value: string) => void },
) {
  const { field, control } = splitField(props);
  const { value, onChange, ...rest } = control;
  return (
    <Field {...field}>
      {(aria) => (
        <textarea
          {...aria}
          {...rest}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}
