/** The model behind the stored descriptors; descriptors of another model are not comparable. */
export const FACE_MODEL = 'human-3.3.6/faceres-1024';
