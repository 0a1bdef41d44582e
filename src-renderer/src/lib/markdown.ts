/**
 * Safe markdown rendering for scenario content (narratives, email bodies,
 * notes...). Scenario files are data from anywhere, so their markdown is
 * treated as hostile:
 *
 *  1. The source is capped at MAX_MARKDOWN_CHARS (longer text is cut, with a
 *     visible note) so a huge string cannot stall the window.
 *  2. marked parses it as GitHub-flavoured markdown with a renderer that never
 *     emits markup from the source: raw HTML is shown as text; links become
 *     non-navigating text with their address shown beside them (the app is
 *     offline, and an address in a phishing email is evidence the room should
 *     read, not follow); images become their alt text (nothing is fetched);
 *     task-list boxes become characters; headings move three levels down so
 *     they nest under the screen's own headings.
 *  3. DOMPurify then keeps only an allow-list of plain text-formatting tags and
 *     the `class`/`title`/`align`/`start` attributes (classes only with the
 *     `md-` prefix this renderer uses), and allows no URL anywhere: no <a>,
 *     <img>, <script>, <style>, <iframe>, <object>, <embed>, <form>, <svg>,
 *     <math>, no event handler, no style attribute.
 *
 * The result is the only string the app ever passes to `{@html}`.
 */
import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';

/** Markdown longer than this is cut before parsing (the scenario format allows 50,000). */
export const MAX_MARKDOWN_CHARS = 50_000;

/** Markdown headings are rendered this many levels below what the author wrote. */
const HEADING_OFFSET = 3;

const ALLOWED_TAGS = ['p', 'br', 'hr', 'h4', 'h5', 'h6', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span'];
const ALLOWED_ATTR = ['class', 'title', 'align', 'start'];
const FORBID_TAGS = ['a', 'img', 'script', 'style', 'iframe', 'frame', 'object', 'embed', 'form', 'input', 'button', 'svg', 'math', 'link', 'meta', 'base'];

const escapeMap: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for use in HTML text or a quoted attribute. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapeMap[c] ?? c);
}

const parser = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    /**
     * Headings move three levels down (# becomes <h4>) so that scenario text
     * nests under the screen's own headings; the class keeps the author's level.
     */
    heading({ tokens, depth }: Tokens.Heading): string {
      const level = Math.min(6, depth + HEADING_OFFSET);
      return `<h${level} class="md-h${depth}">${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
    /** Raw HTML in the source is shown as the text the author wrote (a block of it as a paragraph). */
    html(token: Tokens.HTML | Tokens.Tag): string {
      const text = escapeHtml(token.text);
      return token.block ? `<p>${text.trimEnd()}</p>\n` : text;
    },
    /** Links never navigate: the label, then the address as written, as plain text. */
    link({ href, text, tokens, autolink }: Tokens.Link): string {
      if (autolink) return `<span class="md-link-address">${escapeHtml(text)}</span>`;
      const label = this.parser.parseInline(tokens);
      const address = href.trim();
      if (address === '') return label;
      return `<span class="md-link" title="${escapeHtml(address)}">${label}</span> <span class="md-link-address">(${escapeHtml(address)})</span>`;
    },
    /** Images are never fetched: their alt text stands in for them. */
    image({ text }: Tokens.Image): string {
      return `<span class="md-image">[image: ${escapeHtml(text || 'no description')}]</span>`;
    },
    /** Task-list boxes are characters, not form controls. */
    checkbox({ checked }: Tokens.Checkbox): string {
      return `<span class="md-task">${checked ? '☑' : '☐'}</span> `;
    },
  },
});

const purify = DOMPurify(window);
purify.addHook('uponSanitizeAttribute', (_node, data) => {
  if (data.attrName === 'class') {
    const classes = data.attrValue.split(/\s+/).filter((c) => /^md-[a-z0-9-]+$/.test(c));
    if (classes.length === 0) data.keepAttr = false;
    else data.attrValue = classes.join(' ');
  }
  if (data.attrName === 'align' && !/^(left|center|right)$/.test(data.attrValue)) data.keepAttr = false;
  if (data.attrName === 'start' && !/^\d{1,9}$/.test(data.attrValue)) data.keepAttr = false;
});

function sanitize(html: string): string {
  return purify.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    FORBID_TAGS,
    FORBID_ATTR: ['style', 'href', 'src', 'srcset', 'action', 'formaction', 'xlink:href'],
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    ALLOW_UNKNOWN_PROTOCOLS: false,
    ALLOWED_URI_REGEXP: /^$/,
    KEEP_CONTENT: true,
    RETURN_TRUSTED_TYPE: false,
  });
}

/**
 * Renders untrusted markdown to sanitised HTML that is safe for `{@html}`:
 * no script, no style, no navigation, nothing fetched.
 */
export function renderMarkdown(text: string): string {
  let source = text;
  let note = '';
  if (source.length > MAX_MARKDOWN_CHARS) {
    const hidden = source.length - MAX_MARKDOWN_CHARS;
    source = source.slice(0, MAX_MARKDOWN_CHARS);
    note = `<p class="md-truncated">Truncated: ${hidden.toLocaleString('en')} more characters are not shown.</p>`;
  }
  let html: string;
  try {
    html = parser.parse(source, { async: false });
  } catch {
    // Pathological input (e.g. nesting deep enough to exhaust the stack): show it as plain text.
    html = `<pre class="md-plain">${escapeHtml(source)}</pre>`;
  }
  return sanitize(html + note);
}
