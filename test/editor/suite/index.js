// Mocha entry point that the extension host loads from extensionTestsPath. It prints the closing line
// `N passed, N failed` that run-editor-tests.mjs and CI read, and fails a run in which no test ran.
const fs = require('fs');
const path = require('path');
const Mocha = require('mocha');

exports.run = function run() {
  // Each test waits for its own conditions with shorter deadlines; this only stops a test that hangs outright.
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 90000, reporter: 'spec' });
  if (process.env.EDITOR_TEST_GREP) mocha.grep(process.env.EDITOR_TEST_GREP);
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      console.log(`${runner.stats.passes} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} editor tests failed`));
      else if (runner.stats.passes === 0) reject(new Error('no editor test ran'));
      else resolve();
    });
  });
};
