import DOMPurify from 'dompurify';

export function Preview() {
  const html = DOMPurify.sanitize(location.hash.substring(1));
  const label = location.hash.substring(1);
  return <div><article dangerouslySetInnerHTML={{ __html: html }} /><span>{label}</span></div>;
}
