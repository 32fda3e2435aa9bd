/**
 * The element of index.html with this id, typed; a missing one is a one-line error naming it
 * (the page and the script are out of step).
 */
export const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`demo: element #${id} is missing from index.html`);
  return el as T;
};
