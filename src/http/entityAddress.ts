import type { EntityDefinition } from '../entityDefinition.ts';
import { validateKey } from '../keys.ts';
import type { OrdoNode } from '../ordoNode.ts';

/**
 * Resolves `:type` and `:key` route parameters (already percent-decoded by the
 * router) to a registered definition and a valid key, or throws the `OrdoError`
 * the API returns (`ERR_ENTITY_TYPE_UNKNOWN`, `ERR_KEY_*`).
 */
export function entityAddress(node: OrdoNode, params: { type: string; key: string }): { definition: EntityDefinition; key: string } {
  const definition = node.registry.require(params.type);
  const key = validateKey(params.key);
  return { definition, key };
}
