/**
 * The after-action report's layout (src-main/core/report/layout.ts), shared
 * with the renderer: the report screen's components render the same
 * sections and blocks, in the same order and words, as the Markdown and HTML
 * exports.
 */
export { isSection, layoutReport, outcomeText, type Block, type Cell, type ReportLayout, type Section } from '../core/report/layout.ts';
/** Quotes text as a CSS string: the report screen prints the marking in the page margins as the HTML export does. */
export { cssString } from '../core/report/html.ts';
