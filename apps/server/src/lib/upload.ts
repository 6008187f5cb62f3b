import type { FastifyRequest } from 'fastify';
import { AppError, badRequest } from './errors.ts';

/** The one uploaded file of a multipart request, read into memory with a size cap. */
export async function uploadedFile(req: FastifyRequest, maxBytes: number): Promise<{ filename: string; data: Buffer }> {
  if (!req.isMultipart()) throw badRequest('Send the file as multipart/form-data in the field "file".');
  const part = await req.file({ limits: { fileSize: maxBytes, files: 1 } });
  if (!part) throw badRequest('No file in the field "file".');
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
