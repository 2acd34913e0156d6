export function newSessionId(): string {
  return Date.now().toString(36) + Math.random().toString(36).slice(2); // want: insecure-random
}
