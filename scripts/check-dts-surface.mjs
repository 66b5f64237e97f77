#!/usr/bin/env node
// The published .d.ts files are the public API. Fails when one of them still carries something
// the sources mark `@internal` (a top-level type such as the runner's RunState, or a member such
// as JobRunner.settings), the word `@internal` itself, or a dangling reference: stripping a type
// that a public declaration still names leaves a .d.ts that does not compile for apps that
// type-check their dependencies (skipLibCheck: false).
//
// Run after `pnpm run build` (check-packages.mjs runs it): node scripts/check-dts-surface.mjs
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const ts = require('typescript');

const root = new URL('..', import.meta.url).pathname;
const packagesDir = join(root, 'packages');

const isTest = (file) => /__tests__|\.test\.tsx?$|\.test-d\.ts$/.test(file);
const hasInternalTag = (node) => ts.getJSDocTags(node).some((tag) => tag.tagName.text === 'internal');
const nameOf = (node) => (node.name && ts.isIdentifier(node.name) ? node.name.text : undefined);

/** Type names a type node refers to (`Map<string, RunState>` → Map, RunState). */
function referencedTypeNames(node, into) {
  if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) into.add(node.typeName.text);
  // forEachChild stops at the first callback that returns a value: return nothing from it.
  ts.forEachChild(node, (child) => {
    referencedTypeNames(child, into);
  });
  return into;
}

/**
 * What the sources mark @internal: `Container.member` pairs, top-level declarations, and the
 * package's own types those members use (the runner's RunState, RunnerSettings, ClaimAhead...).
 * A type used only by internal members must leave the .d.ts with them; a built .d.ts may still
 * declare one of those names only as a public export.
 */
export function internalNames(srcDirs) {
  const topLevel = new Set();
  const members = new Set();
  const declared = new Set();
  const usedByInternals = new Set();
  for (const dir of srcDirs) {
    for (const rel of readdirSync(dir, { recursive: true })) {
      if (!/\.tsx?$/.test(rel) || rel.endsWith('.d.ts') || isTest(rel)) continue;
      const file = join(dir, rel);
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      for (const statement of source.statements) {
        const name = nameOf(statement);
        if (!name) continue;
        declared.add(name);
        if (hasInternalTag(statement)) topLevel.add(name);
        if (!(ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement))) continue;
        for (const member of statement.members) {
          const memberName = nameOf(member);
          if (!memberName || !hasInternalTag(member)) continue;
          members.add(`${name}.${memberName}`);
          referencedTypeNames(member, usedByInternals);
        }
      }
    }
  }
  const exported = publicExports(srcDirs);
  for (const name of usedByInternals) if (declared.has(name) && !exported.has(name)) topLevel.add(name);
  return { topLevel, members };
}

/** Every name the packages' entry points export (their package.json `exports`, mapped to src). */
function publicExports(srcDirs) {
  const entries = [];
  for (const src of srcDirs) {
    const pkg = JSON.parse(readFileSync(join(src, '..', 'package.json'), 'utf8'));
    for (const target of Object.values(pkg.exports ?? {})) {
      const types = target?.import?.types;
      if (typeof types !== 'string') continue;
      const file = join(src, '..', types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts'));
      if (existsSync(file)) entries.push(file);
      else if (existsSync(`${file}x`)) entries.push(`${file}x`);
    }
  }
  const program = ts.createProgram(entries, { noEmit: true, allowJs: false, jsx: ts.JsxEmit.ReactJSX });
  const checker = program.getTypeChecker();
  const names = new Set();
  for (const entry of entries) {
    const symbol = checker.getSymbolAtLocation(program.getSourceFile(entry));
    if (!symbol) continue;
    for (const exp of checker.getExportsOfModule(symbol)) names.add(exp.name);
  }
  return names;
}

/** Names a .d.ts exports (`export { A, B as C }`, `export type { D }`, `export declare class E`). */
function exportedNames(source) {
  const names = new Set();
  for (const statement of source.statements) {
    if (
      ts.isExportDeclaration(statement) &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    ) {
      for (const element of statement.exportClause.elements)
        names.add((element.propertyName ?? element.name).text);
    }
    const name = nameOf(statement);
    if (name && statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) names.add(name);
  }
  return names;
}

/** What of `internal` a built .d.ts still declares (non-exported top-level names, class/interface members). */
export function leaks(dtsText, fileName, internal) {
  const found = [];
  if (dtsText.includes('@internal')) found.push('the tag @internal');
  const source = ts.createSourceFile(fileName, dtsText, ts.ScriptTarget.Latest, true);
  const exported = exportedNames(source);
  for (const statement of source.statements) {
    const name = nameOf(statement);
    if (!name) continue;
    if (internal.topLevel.has(name) && !exported.has(name)) found.push(name);
    if (!(ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement))) continue;
    for (const member of statement.members) {
      const key = `${name}.${nameOf(member)}`;
      if (internal.members.has(key)) found.push(key);
    }
  }
  return found;
}

function builtDeclarations(pkgDir) {
  const dist = join(pkgDir, 'dist');
  if (!existsSync(dist)) return [];
  return readdirSync(dist, { recursive: true })
    .filter((rel) => /\.d\.c?ts$/.test(rel))
    .map((rel) => join(dist, rel));
}

/** Type-check the entry points' declarations themselves (skipLibCheck off), with no ambient types. */
function compileErrors(pkgDir, entries) {
  const dir = mkdtempSync(join(tmpdir(), 'redrive-dts-'));
  const config = {
    compilerOptions: {
      noEmit: true,
      strict: true,
      skipLibCheck: false,
      lib: ['es2023', 'dom'],
      module: 'nodenext',
      moduleResolution: 'nodenext',
      jsx: 'react-jsx',
      types: [],
    },
    files: entries,
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
  try {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', dir], {
      cwd: pkgDir,
      encoding: 'utf8',
    });
    return '';
  } catch (error) {
    return `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
  }
}

function main() {
  const pkgDirs = readdirSync(packagesDir).map((dir) => join(packagesDir, dir));
  const internal = internalNames(pkgDirs.map((dir) => join(dir, 'src')).filter(existsSync));
  let failed = false;
  for (const pkgDir of pkgDirs) {
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    if (pkg.private) continue;
    const files = builtDeclarations(pkgDir);
    if (files.length === 0) {
      failed = true;
      console.error(`!! ${pkg.name}: no .d.ts in dist (build first)`);
      continue;
    }
    const problems = files.flatMap((file) =>
      leaks(readFileSync(file, 'utf8'), file, internal).map(
        (what) => `${file.slice(pkgDir.length + 1)}: ${what}`,
      ),
    );
    // Only packages that mark something internal can have a stripped type left dangling.
    const entries = files.filter((file) => /(^|\/)index\.d\.c?ts$/.test(file));
    const errors = pkg.name === '@redrive/core' ? compileErrors(pkgDir, entries) : '';
    if (problems.length || errors) {
      failed = true;
      for (const problem of problems) console.error(`!! ${pkg.name} publishes an internal name: ${problem}`);
      if (errors) console.error(`!! ${pkg.name}: its .d.ts files do not compile:\n${errors}`);
    } else {
      const compiled = pkg.name === '@redrive/core' ? ', its entry points compile' : '';
      console.log(`-- ${pkg.name}: ${files.length} .d.ts files, no internal names${compiled}`);
    }
  }
  console.log(
    `-- internal names checked: ${internal.topLevel.size} types (${[...internal.topLevel].join(', ')}), ${internal.members.size} members`,
  );
  return failed;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(main() ? 1 : 0);
