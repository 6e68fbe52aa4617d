// Stub of 'k6/crypto' (the parts the scripts may use).
import nodeCrypto from 'node:crypto';

export function randomBytes(n) {
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`randomBytes(): invalid size ${n}`);
  const b = nodeCrypto.randomBytes(n);
  return b.buffer.slice(b.byteOffset, b.byteOffset + n);
}

function digest(alg) {
  return (data, enc) => {
    const h = nodeCrypto.createHash(alg).update(typeof data === 'string' ? data : Buffer.from(data));
    if (enc === 'binary') { const b = h.digest(); return b.buffer.slice(b.byteOffset, b.byteOffset + b.length); }
    return h.digest(enc === 'base64' ? 'base64' : 'hex');
  };
}

export const md5 = digest('md5');
export const sha1 = digest('sha1');
export const sha256 = digest('sha256');
export const sha512 = digest('sha512');

export default { randomBytes, md5, sha1, sha256, sha512 };
