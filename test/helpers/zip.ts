/** Entries of a ZIP read with yauzl (the independent reader), strict about names and sizes. */
export async function readWithYauzl(zipPath: string): Promise<Map<string, Buffer>> {
  const yauzl = (await import('yauzl')).default;
  return new Promise((resolve, reject) => {
    const entries = new Map<string, Buffer>();
    yauzl.open(zipPath, {lazyEntries: true, strictFileNames: true, validateEntrySizes: true}, (error, zip) => {
      if (error || !zip) return reject(error);
      zip.on('entry', (entry: import('yauzl').Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}
