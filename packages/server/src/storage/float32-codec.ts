/** Vectors are stored as little-endian float32 bytes: 4 bytes a value, no JSON. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function encodeVector(vector: Float32Array): Uint8Array {
  if (!LITTLE_ENDIAN) {
    const out = new Uint8Array(vector.length * 4);
    const view = new DataView(out.buffer);
    for (let i = 0; i < vector.length; i++) view.setFloat32(i * 4, vector[i]!, true);
    return out;
  }
  return new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);
}

/** Copies the stored bytes into `target` at `offset` (in floats); returns the number of values. */
export function decodeVectorInto(bytes: Uint8Array, target: Float32Array, offset: number): number {
  const count = bytes.byteLength >>> 2;
  if (LITTLE_ENDIAN) {
    new Uint8Array(target.buffer, target.byteOffset + offset * 4, count * 4).set(bytes.subarray(0, count * 4));
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < count; i++) target[offset + i] = view.getFloat32(i * 4, true);
  }
  return count;
}

export function decodeVector(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.byteLength >>> 2);
  decodeVectorInto(bytes, out, 0);
  return out;
}
