import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { AppError, badRequest } from './errors.ts';
import { assertCleanText } from './input-guard.ts';

/**
 * The one uploaded file of a multipart request, read into memory with a size cap. With
 * `deadlineSeconds`, an upload still arriving after that long is cut off with a 408 (a trickled
 * upload must not hold an import place for ever).
 */
export async function uploadedFile(
  req: FastifyRequest,
  maxBytes: number,
  opts: { deadlineSeconds?: number } = {},
): Promise<{ filename: string; data: Buffer }> {
  if (!req.isMultipart()) throw badRequest('Send the file as multipart/form-data in the field "file".');
  let part: MultipartFile | undefined;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    if (opts.deadlineSeconds === undefined) return;
    timer = setTimeout(() => {
      part?.file.destroy(new Error('upload deadline passed'));
      reject(
        new AppError(
          408,
          'Request Timeout',
          `The upload did not finish within ${opts.deadlineSeconds} seconds.`,
          undefined,
          'upload-timeout',
        ),
      );
    }, opts.deadlineSeconds * 1000);
  });
  const received = receive();
  // After a timeout the upload's own failure comes later and is of no interest.
  received.catch(() => {});
  try {
    return await Promise.race([received, deadline]);
  } finally {
    clearTimeout(timer);
  }

  async function receive() {
    part = await req.file({ limits: { fileSize: maxBytes, files: 1 } });
    if (!part) throw badRequest('No file in the field "file".');
    // The same text rules as JSON bodies (lib/input-guard.ts): field names and values, and the file name.
    for (const [name, field] of Object.entries(part.fields)) {
      assertCleanText(name, 'multipart');
      for (const f of Array.isArray(field) ? field : [field]) {
        if (f && f.type === 'field') assertCleanText(f.value, `multipart.${name}`);
      }
    }
    assertCleanText(part.filename, 'multipart.filename');
    const data = await part.toBuffer().catch(() => {
      throw new AppError(
        413,
        'Content Too Large',
        `The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB.`,
        undefined,
        'too-large',
      );
    });
    if (part.file.truncated)
      throw new AppError(
        413,
        'Content Too Large',
        `The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB.`,
        undefined,
        'too-large',
      );
    return { filename: part.filename, data };
  }
}
