/**
 * An error caused by the user's input (a bad flag, a missing file). The CLI prints its message as
 * one line, without a stack trace, and exits with status 2.
 */
export class UserError extends Error {
  override readonly name = "UserError";
}
