/**
 * What to say when a company plan filter names no plan the stored companies are on: such a
 * search can only answer "nothing found", which reads like "no such records" when the plan
 * name is what is wrong.
 */
import { sqliteLower } from "../store/company_filter.ts";
import type { Store } from "../store/store.ts";

const SHOWN_PLANS = 10;

/**
 * A one-line note when `plan` (as a `company_plan` or `plan` filter gives it) matches no stored
 * company's plan — naming it and the known plans — or null when it matches one or is not given.
 * Plans compare as the filters compare them: ASCII letters without case.
 */
export function unknownPlanNote(store: Store, plan: string | undefined): string | null {
  const wanted = plan?.trim();
  if (!wanted) return null;
  const plans = store.support.companyPlans();
  if (plans.some((p) => sqliteLower(p.plan) === sqliteLower(wanted))) return null;
  if (plans.length === 0) {
    return `No stored company is on plan "${wanted}": no company with a plan is stored yet ` +
      "(a sync brings companies).";
  }
  const shown = plans.slice(0, SHOWN_PLANS).map((p) => `"${p.plan}" (${p.companies})`);
  const more = plans.length > SHOWN_PLANS ? `, and ${plans.length - SHOWN_PLANS} more` : "";
  return `No stored company is on plan "${wanted}": the plans are ${shown.join(", ")}${more} ` +
    "(search_companies lists companies with their plans).";
}
