// The TextMate grammar, tokenized by the vscode-textmate and vscode-oniguruma builds that ship inside this VS Code,
// so the scopes checked here are the ones the editor colours by.
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { EXTENSION_ID } = require('./helpers');

suite('Grammar', () => {
  let grammar;
  let textmate;

  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    const contributed = extension.packageJSON.contributes.grammars.find((g) => g.language === 'terraform');
    assert.ok(contributed, 'a grammar is contributed for terraform');
    // code-server ships these unpacked; desktop VS Code may keep them in node_modules.asar, which Electron reads.
    const modules = ['node_modules', 'node_modules.asar']
      .map((dir) => path.join(vscode.env.appRoot, dir))
      .find((dir) => fs.existsSync(path.join(dir, 'vscode-textmate')));
    assert.ok(modules, `vscode-textmate is found under ${vscode.env.appRoot}`);
    textmate = require(path.join(modules, 'vscode-textmate'));
    const oniguruma = require(path.join(modules, 'vscode-oniguruma'));
    const wasm = fs.readFileSync(path.join(modules, 'vscode-oniguruma', 'release', 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const grammarPath = path.join(extension.extensionPath, contributed.path);
    const registry = new textmate.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
        createOnigString: (s) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scopeName) =>
        scopeName === contributed.scopeName ? textmate.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null,
    });
    grammar = await registry.loadGrammar(contributed.scopeName);
    assert.ok(grammar, 'the grammar loads');
  });

  /** Tokenizes `source` and returns [text, scopes-after-the-root] for each non-blank token. */
  function tokenize(source) {
    let stack = textmate.INITIAL;
    const tokens = [];
    for (const line of source.split('\n')) {
      const result = grammar.tokenizeLine(line, stack);
      stack = result.ruleStack;
      for (const t of result.tokens) {
        const text = line.slice(t.startIndex, t.endIndex);
        if (text.trim()) tokens.push([text, t.scopes.slice(1)]);
      }
    }
    return tokens;
  }

  /** Asserts that the `occurrence`-th token whose text is `text` carries `scope`. */
  function expectScope(tokens, text, scope, occurrence = 0) {
    const matches = tokens.filter(([t]) => t === text);
    assert.ok(matches[occurrence], `token ${JSON.stringify(text)} #${occurrence} exists`);
    assert.ok(matches[occurrence][1].includes(scope), `${JSON.stringify(text)} has ${scope}; got ${matches[occurrence][1].join(' ')}`);
  }

  test('comments', () => {
    const tokens = tokenize('# hash\n// slashes\n/* block\n still */ a = 1');
    expectScope(tokens, ' hash', 'comment.line.number-sign.terraform');
    expectScope(tokens, ' slashes', 'comment.line.double-slash.terraform');
    expectScope(tokens, ' still ', 'comment.block.terraform');
    expectScope(tokens, 'a', 'variable.other.property.terraform');
  });

  test('block headers with labels, nested blocks and attributes', () => {
    const tokens = tokenize(
      [
        'resource "azurerm_api_management_backend" "legacy" {',
        '  tls {',
        '    validate_certificate_chain = false',
        '  }',
        '  dynamic "header" {',
        '    content { x = null }',
        '  }',
        '}',
      ].join('\n'),
    );
    expectScope(tokens, 'resource', 'storage.type.block.terraform');
    expectScope(tokens, '"azurerm_api_management_backend"', 'entity.name.label.terraform');
    expectScope(tokens, '"legacy"', 'entity.name.label.terraform');
    expectScope(tokens, 'tls', 'entity.name.type.block.terraform');
    expectScope(tokens, 'dynamic', 'storage.type.block.terraform');
    expectScope(tokens, 'content', 'entity.name.type.block.terraform');
    expectScope(tokens, 'validate_certificate_chain', 'variable.other.property.terraform');
    expectScope(tokens, 'false', 'constant.language.boolean.terraform');
    expectScope(tokens, 'null', 'constant.language.null.terraform');
    expectScope(tokens, '}', 'punctuation.section.block.end.terraform', 2);
  });

  test('strings with escapes, interpolation and directives', () => {
    const tokens = tokenize('a = "x\\n${var.env}$${lit}%{ if each.key != "" }y%{ endif }"');
    expectScope(tokens, '\\n', 'constant.character.escape.terraform');
    expectScope(tokens, '${', 'punctuation.section.interpolation.begin.terraform');
    expectScope(tokens, 'var', 'variable.language.terraform');
    expectScope(tokens, 'env', 'variable.other.member.terraform');
    expectScope(tokens, '$${', 'constant.character.escape.terraform');
    expectScope(tokens, 'if', 'keyword.control.directive.terraform');
    expectScope(tokens, 'each', 'variable.language.terraform');
    expectScope(tokens, '!=', 'keyword.operator.comparison.terraform');
    expectScope(tokens, 'endif', 'keyword.control.directive.terraform');
    expectScope(tokens, 'y', 'string.quoted.double.terraform');
  });

  test('heredocs, plain and indented, end at their marker', () => {
    const tokens = tokenize(['a = <<EOT', 'text ${local.x}', 'EOT', 'b = <<-JSON', '  {"k": 1}', '  JSON', 'c = 2'].join('\n'));
    expectScope(tokens, '<<', 'keyword.operator.heredoc.terraform');
    expectScope(tokens, 'EOT', 'keyword.control.heredoc.terraform', 1);
    expectScope(tokens, 'local', 'variable.language.terraform');
    expectScope(tokens, '<<-', 'keyword.operator.heredoc.terraform');
    expectScope(tokens, '  {"k": 1}', 'string.unquoted.heredoc.terraform');
    expectScope(tokens, 'JSON', 'keyword.control.heredoc.terraform', 1);
    expectScope(tokens, 'c', 'variable.other.property.terraform');
    expectScope(tokens, '2', 'constant.numeric.terraform');
  });

  test('expressions: numbers, operators, calls, references, for expressions', () => {
    const tokens = tokenize('n = length(module.api.ids) > 1.5e3 && count.index == 0 ? [for k, v in var.m : k] : path.module');
    expectScope(tokens, 'length', 'support.function.terraform');
    expectScope(tokens, 'module', 'variable.language.terraform');
    expectScope(tokens, 'ids', 'variable.other.member.terraform');
    expectScope(tokens, '1.5e3', 'constant.numeric.terraform');
    expectScope(tokens, '&&', 'keyword.operator.logical.terraform');
    expectScope(tokens, 'count', 'variable.language.terraform');
    expectScope(tokens, '==', 'keyword.operator.comparison.terraform');
    expectScope(tokens, 'for', 'keyword.control.terraform');
    expectScope(tokens, 'in', 'keyword.control.terraform');
    expectScope(tokens, 'path', 'variable.language.terraform');
    expectScope(tokens, '?', 'keyword.operator.conditional.terraform');
  });
});
