import crypto from 'crypto';

export function seal(key: Buffer, data: Buffer) {
  const c = crypto.createCipheriv('aes-128-ecb', key, null); // want: weak-crypto
  return Buffer.concat([c.update(data), c.final()]);
}
