// Placeholder until the descriptions land.
export const FIELD_DESCRIPTIONS: Readonly<Record<string, string>> = {};
