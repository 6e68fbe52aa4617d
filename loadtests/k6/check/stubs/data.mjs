// Stub of 'k6/data'.
export class SharedArray {
  constructor(name, fn) {
    if (typeof name !== 'string' || name === '') throw new TypeError('SharedArray: a name is required');
    const data = fn();
    if (!Array.isArray(data)) throw new TypeError('SharedArray: the function must return an array');
    return Object.freeze(data.slice());
  }
}

export default { SharedArray };
