/**
 * Saves a file the page holds (an export, a sheet) in the browser (H5 only): through a link that exists just
 * for the click, so nothing unnamed is left in the page for a screen reader to land on.
 */
export function saveBlob(blob: Blob, fileName: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has started; the object URL may go once the browser has read it.
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
