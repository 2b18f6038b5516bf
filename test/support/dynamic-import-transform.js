/**
 * A Jest transform for PGlite's CommonJS build (`@electric-sql/pglite*`): it loads Node's built-in
 * modules with `await import("fs")` and the like, which Jest's module sandbox refuses without
 * `--experimental-vm-modules` ("A dynamic import callback was invoked without
 * --experimental-vm-modules"). Each `import("<name>")` of a literal module name becomes
 * `Promise.resolve(__outerRequire("<name>"))`, which yields the same module object for Node's
 * built-ins; `__outerRequire` is the module's own `require`, kept under another name because the
 * Emscripten glue declares a `var require` of its own in the function that imports "module".
 * Only the test run needs this: plain Node runs PGlite's CommonJS build as it is.
 */
const DYNAMIC_IMPORT = /\bimport\(("[a-z:/_]+")\)/g;

module.exports = {
  process(source) {
    return { code: `var __outerRequire = require;\n${source.replace(DYNAMIC_IMPORT, 'Promise.resolve(__outerRequire($1))')}` };
  },
  getCacheKey(source, path) {
    return require('node:crypto').createHash('sha256').update('dynamic-import-transform-2').update(path).update(source).digest('hex');
  },
};
