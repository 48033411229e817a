// One colour per family, read from the CSS custom properties in app.css (--fam-<id>), so charts
// and tables share the one palette.
import type { FamilyId } from '../../models/family-info';

const cache = new Map<FamilyId, string>();

export function familyColor(id: FamilyId): string {
  let c = cache.get(id);
  if (!c) {
    c = getComputedStyle(document.documentElement).getPropertyValue(`--fam-${id}`).trim() || '#2b6cb0';
    cache.set(id, c);
  }
  return c;
}
