/**
 * Living text (format 1.1, src-main/core/scenario/living-text.ts), shared with
 * the renderer so that the console words `{{variable}}` exactly as the
 * projector, the phones and the report do.
 */
export { renderEvidenceText, renderLivingText } from '../core/scenario/living-text.ts';
