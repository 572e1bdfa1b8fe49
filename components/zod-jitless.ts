import { z } from "zod";

// zod 4 probes `Function("")` once to decide whether to compile fast parsers with eval. Under
// the pages' strict CSP (no 'unsafe-eval') that probe is blocked and reported as a violation;
// jitless mode never probes. Imported first by the client providers, before any schema parses.
z.config({ jitless: true });
