// The one way to turn anything thrown into the words shown to the user.

/** The message of an Error, or the thrown value as text. */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
