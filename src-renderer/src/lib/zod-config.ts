/**
 * Loaded before each lazily loaded screen (components/screen/Screen.svelte),
 * so before any schema is built: the renderer checks input with the contract's
 * zod schemas (e.g. the setup form), and zod would otherwise probe for
 * `new Function` to compile fast parsers. The CSP forbids eval, and even the caught probe is
 * reported as a violation, so zod runs without compiling (jitless).
 */
import { z } from 'zod';

z.config({ jitless: true });
