import React from 'react';

export function Preview({ markdown }: { markdown: string }) {
  const fromUrl = decodeURIComponent(location.hash.substring(1));
  return <article dangerouslySetInnerHTML={{ __html: fromUrl }} />; // want: xss
}
