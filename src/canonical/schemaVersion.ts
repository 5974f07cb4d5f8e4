/**
 * Version of the canonical schemas in this folder. Raise it when a change could make a
 * message valid under one version invalid under the other, so stored messages and HTTP
 * clients can tell which shape they hold.
 */
export const SCHEMA_VERSION = 1;
