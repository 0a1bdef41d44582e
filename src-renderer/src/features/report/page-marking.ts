/**
 * The sensitivity marking in the margins of every printed page (CSS paged
 * media margin boxes), with "Page N of M". The marking is the session's, so
 * the rule is built at run time; it goes into a constructed style sheet
 * (CSSOM), which the Content-Security-Policy allows where an inline
 * `<style>` would be refused.
 */
import { cssString } from '../../../../src-main/api/report-layout.ts';

/** The @page rule that prints `marking` at the top and bottom of every page. */
export function pageMarkingRule(marking: string): string {
  const m = cssString(marking);
  const box = 'font: 700 9pt system-ui, sans-serif; color: #000;';
  return (
    `@page { ` +
    `@top-center { content: ${m}; ${box} } ` +
    `@bottom-center { content: ${m}; ${box} } ` +
    `@bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt system-ui, sans-serif; color: #000; } }`
  );
}

/** Applies the marking to printed pages until the returned function is called. */
export function applyPageMarking(marking: string, doc: Document = document): () => void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(pageMarkingRule(marking));
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  return () => {
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
  };
}
