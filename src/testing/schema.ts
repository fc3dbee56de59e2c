/** The YAML test-file format, checked with zod. */
import { z } from 'zod';

const EventSchema = z.record(z.string(), z.unknown());

export const ExpectSchema = z
  .object({
    /** The rule fires (true) or does not fire (false). */
    fires: z.boolean(),
    /** Exactly this many alerts of the rule. */
    count: z.number().int().nonnegative().optional(),
    priority: z.string().optional(),
    /** Output fields every alert of the rule must have, with these values. */
    outputFields: z.record(z.string(), z.unknown()).optional(),
    /** No rule other than the one under test may fire. */
    noOtherRule: z.boolean().optional(),
  })
  .strict();

export const CasesSchema = z
  .object({
    strategy: z.enum(['vector', 'matrix']),
    /** KEY → values; `%{ item.KEY }` in the test is replaced by each case's value. */
    values: z.record(z.string(), z.array(z.unknown()).min(1)),
  })
  .strict();

export const TestSchema = z
  .object({
    name: z.string().min(1),
    rule: z.string().min(1),
    /** Merged into every inline event: the process and container context. */
    defaults: EventSchema.optional(),
    events: z.array(EventSchema).optional(),
    /** A JSONL capture, relative to the test file. */
    capture: z.string().optional(),
    /**
     * An event-generator test description (context, resources, steps, before/after): its
     * events are synthesized on the simulated host, and only its processes' alerts count.
     */
    simulate: z.record(z.string(), z.unknown()).optional(),
    expect: ExpectSchema,
    cases: CasesSchema.optional(),
  })
  .strict()
  .refine((t) => (t.events?.length ?? 0) > 0 || t.capture !== undefined || t.simulate !== undefined, {
    message: 'a test needs events, a capture, or a simulation (simulate:)',
  })
  .refine((t) => t.simulate === undefined || (t.events === undefined && t.capture === undefined && t.defaults === undefined), {
    message: 'simulate: makes its own events: it takes no events, capture or defaults',
  });

export const TestFileSchema = z
  .object({
    /** Rules files, directories or globs, relative to the test file (or given with -r). */
    rules: z.array(z.string()).optional(),
    /** Falco's rule_matching: first (default) or all. */
    matching: z.enum(['first', 'all']).optional(),
    tests: z.array(TestSchema).min(1),
  })
  .strict();

export type TestFile = z.infer<typeof TestFileSchema>;
export type TestCase = z.infer<typeof TestSchema>;
export type Expectation = z.infer<typeof ExpectSchema>;
