// Snippet extraction for the doc tests: fences out of Markdown, and snippets into modules.
import { createRequire } from 'node:module';

const ts = createRequire(import.meta.url)('typescript');
const MODES = new Set(['continues', 'fragment', 'compile']);

/**
 * The ```ts / ```typescript / ```tsx fences of a Markdown text, in order:
 * `{ line, lang, mode, code }` with `mode` 'run' unless the info string names another; a tsx
 * snippet (a React component, which needs a page to run in) is 'compile' unless it says otherwise.
 */
export function extractSnippets(markdown) {
  const snippets = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})(tsx|ts|typescript)\b(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, ticks, fence, rest] = open;
    const lang = fence === 'tsx' ? 'tsx' : 'ts';
    const words = rest.trim().split(/\s+/).filter(Boolean);
    const unknown = words.filter((w) => !MODES.has(w));
    if (unknown.length) throw new Error(`line ${i + 1}: unknown snippet mode ${unknown.join(' ')}`);
    const body = [];
    let j = i + 1;
    for (; j < lines.length && !new RegExp(`^\\s*${ticks}\\s*$`).test(lines[j]); j++) {
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j]);
    }
    const mode = words[0] ?? (lang === 'tsx' ? 'compile' : 'run');
    snippets.push({ line: i + 1, lang, mode, code: body.join('\n') });
    i = j;
  }
  return snippets;
}

/**
 * Snippets into runnable modules: a `continues` snippet joins the module before it (its imports
 * merged with that module's, so pasting both into one file works); `fragment` snippets are left
 * out. Returns `{ line, lang, mode, code }` per module, `line` that of its first snippet.
 */
export function toModules(snippets) {
  const modules = [];
  for (const snippet of snippets) {
    if (snippet.mode === 'fragment') continue;
    const previous = modules.at(-1);
    if (snippet.mode === 'continues') {
      if (!previous) throw new Error(`line ${snippet.line}: 'continues' but no snippet before it`);
      previous.parts.push(snippet.code);
      if (snippet.lang === 'tsx') previous.lang = 'tsx';
      continue;
    }
    modules.push({ line: snippet.line, lang: snippet.lang, mode: snippet.mode, parts: [snippet.code] });
  }
  return modules.map(({ line, lang, mode, parts }) => ({
    line,
    lang,
    mode,
    code: mergeImports(parts, lang),
  }));
}

/** Joins snippet bodies, moving their import declarations to the top, each binding once. */
function mergeImports(parts, lang) {
  const named = new Map(); // module -> Map(local name -> specifier text)
  const other = new Set(); // default / namespace / side-effect imports, by text
  const bodies = [];
  for (const code of parts) {
    const kind = lang === 'tsx' ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
    const file = ts.createSourceFile(`snippet.${lang}`, code, ts.ScriptTarget.Latest, true, kind);
    let body = '';
    let last = 0;
    for (const statement of file.statements) {
      if (!ts.isImportDeclaration(statement)) continue;
      body += code.slice(last, statement.getFullStart());
      last = statement.getEnd();
      const from = statement.moduleSpecifier.getText();
      const clause = statement.importClause;
      const bindings = clause?.namedBindings;
      if (clause && !clause.name && bindings && ts.isNamedImports(bindings)) {
        const map = named.get(from) ?? new Map();
        for (const el of bindings.elements) {
          const text = `${clause.isTypeOnly && !el.isTypeOnly ? 'type ' : ''}${el.getText()}`;
          if (!map.has(el.name.text)) map.set(el.name.text, text);
        }
        named.set(from, map);
      } else {
        other.add(statement.getText());
      }
    }
    bodies.push(body + code.slice(last));
  }
  const imports = [...other];
  for (const [from, map] of named) imports.push(`import { ${[...map.values()].join(', ')} } from ${from};`);
  // `export {}` keeps a snippet without imports a module (top-level await, its own scope).
  return `${imports.join('\n')}\n${bodies.join('\n')}\nexport {};\n`;
}

/**
 * The names of `known` that a snippet uses without importing or declaring them: a fragment is not
 * compiled, but a reader pasting it must still see where `memoryAdapter` or `createQueue` come from.
 */
export function missingImports(code, lang, known) {
  const kind = lang === 'tsx' ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const file = ts.createSourceFile(`snippet.${lang}`, code, ts.ScriptTarget.Latest, true, kind);
  const bound = new Set();
  const used = new Set();
  const visit = (node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      if (clause?.name) bound.add(clause.name.text);
      const b = clause?.namedBindings;
      if (b && ts.isNamespaceImport(b)) bound.add(b.name.text);
      if (b && ts.isNamedImports(b)) for (const el of b.elements) bound.add(el.name.text);
      return;
    }
    if (ts.isIdentifier(node)) {
      const p = node.parent;
      const isName =
        (ts.isPropertyAccessExpression(p) && p.name === node) ||
        ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertySignature(p)) &&
          p.name === node) ||
        (ts.isJsxAttribute(p) && p.name === node);
      const isDeclaration =
        (ts.isVariableDeclaration(p) ||
          ts.isFunctionDeclaration(p) ||
          ts.isClassDeclaration(p) ||
          ts.isParameter(p) ||
          ts.isBindingElement(p)) &&
        p.name === node;
      if (isDeclaration) bound.add(node.text);
      else if (!isName) used.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return [...used].filter((name) => known.has(name) && !bound.has(name));
}
