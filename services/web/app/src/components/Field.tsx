import type { ReactNode } from 'react';
import type { FieldError } from 'react-hook-form';

/** A labelled form control with its validation message tied to it for assistive technology. */
export function Field({ id, label, error, children }: { id: string; label: string; error?: FieldError; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {error?.message && (
        <span id={`${id}-error`} className="field-error">
          {error.message}
        </span>
      )}
    </div>
  );
}

/** aria attributes for a control whose Field shows `error`. */
export function describedBy(id: string, error?: FieldError) {
  return error ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-error` } : {};
}
