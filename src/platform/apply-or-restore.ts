// An adapter's apply: make the system match the plan, or on failure put the previous plan
// back (best effort) and report the failure.
import type { Plan } from "../core/plan-types.ts";

export async function applyOrRestore(previous: Plan | null, plan: Plan, reconcile: (p: Plan) => Promise<void>, forget?: () => void): Promise<void> {
  try {
    await reconcile(plan);
  } catch (err) {
    forget?.();
    if (previous) await reconcile(previous).catch(() => {});
    throw err;
  }
}
