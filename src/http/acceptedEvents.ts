import { createActor, __unsafe_getAllOwnEventDescriptors as ownEventDescriptors } from 'xstate';
import type { AnyStateMachine } from 'xstate';

/**
 * Lists the event types that have a transition from the entity's current state
 * (guards are not evaluated). XState 5 has no public API for this;
 * `__unsafe_getAllOwnEventDescriptors` is the exported helper closest to one.
 * Internal events (`xstate.after...`, `xstate.done...`) are left out because
 * only the runtime sends them. Returns null when the stored snapshot cannot be
 * restored with the current machine, for example after an incompatible change.
 */
export function acceptedEvents(machine: AnyStateMachine, persistedSnapshot: unknown): string[] | null {
  let descriptors: string[];
  try {
    // An actor that is created but never started only restores the snapshot; it runs nothing.
    const snapshot = createActor(machine, { snapshot: persistedSnapshot as never }).getSnapshot();
    descriptors = ownEventDescriptors(snapshot) as string[];
  } catch {
    return null;
  }

  const external = descriptors.filter((descriptor) => !descriptor.startsWith('xstate.'));
  return [...new Set(external)].sort();
}
