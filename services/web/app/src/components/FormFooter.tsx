import { ErrorMessage } from './ErrorMessage';

interface MutationState {
  error: unknown;
  isPending: boolean;
  isSuccess: boolean;
}

/** A form's end: why the last submit failed, that it worked (`done`), and the submit button. */
export function FormFooter({ mutation, label, done }: { mutation: MutationState; label: string; done?: string }) {
  return (
    <>
      <ErrorMessage error={mutation.error} />
      {done && mutation.isSuccess && <p role="status">{done}</p>}
      <button type="submit" disabled={mutation.isPending}>
        {label}
      </button>
    </>
  );
}
