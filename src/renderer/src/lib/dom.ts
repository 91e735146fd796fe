/** Keys typed into a field belong to the field. */
export function isTextTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.matches('input, textarea, select');
}

/** Enter or Space on a focused button or link presses it; a shortcut on the same key would act twice. */
export function pressesControl(event: KeyboardEvent): boolean {
  return (event.key === 'Enter' || event.key === ' ') && event.target instanceof HTMLElement && event.target.matches('button, a[href], summary, [role="button"]');
}
