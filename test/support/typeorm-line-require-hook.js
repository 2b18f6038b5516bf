/**
 * Preloaded (`node -r`) into child processes the tests start, such as the TypeORM CLI, so that they
 * load the same TypeORM as the Jest project that started them: `typeorm` and `typeorm/...` resolve
 * inside TYPEORM_VECTOR_TYPEORM_DIR (the 0.3 install in the typeorm-0.3 project). See
 * test/support/typeorm-line.ts (typeormChildProcess).
 */
const Module = require('node:module');

const dir = process.env.TYPEORM_VECTOR_TYPEORM_DIR;
if (dir) {
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    if (request === 'typeorm') request = dir;
    else if (request.startsWith('typeorm/')) request = `${dir}/${request.slice('typeorm/'.length)}`;
    return resolve.call(this, request, ...rest);
  };
}
