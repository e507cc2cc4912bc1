/** Text as a file name on Windows, macOS and Linux: no path or reserved characters, no control characters, at most `max` characters. */
export const safeFileName = (text: string, max: number): string => text.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').trim().slice(0, max).trim();
