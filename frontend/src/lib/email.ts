/** Whether `value` is a valid e-mail address by the HTML standard's `type=email` rule, as the browser checks it. */
export function isEmail(value: string): boolean {
  if (!value) return false;
  const input = document.createElement("input");
  input.type = "email";
  input.value = value;
  return input.validity.valid;
}
