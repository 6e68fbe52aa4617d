// Stub of 'k6/encoding'.
function toBuffer(input) {
  if (typeof input === 'string') return Buffer.from(input, 'utf8');
  if (input instanceof ArrayBuffer) return Buffer.from(input);
  throw new TypeError('b64encode(): input must be a string or an ArrayBuffer');
}

export function b64encode(input, encoding) {
  const b = toBuffer(input);
  switch (encoding || 'std') {
    case 'std': return b.toString('base64');
    case 'rawstd': return b.toString('base64').replace(/=+$/, '');
    case 'url': return b.toString('base64url') + '='.repeat((4 - (b.toString('base64url').length % 4)) % 4);
    case 'rawurl': return b.toString('base64url');
    default: throw new TypeError(`b64encode(): unknown encoding ${encoding}`);
  }
}

export function b64decode(input, encoding, format) {
  const b = Buffer.from(String(input), /url/.test(encoding || '') ? 'base64url' : 'base64');
  if (format === 's') return b.toString('utf8');
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.length);
}

export default { b64encode, b64decode };
