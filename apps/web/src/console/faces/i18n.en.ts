import type { FacePhotoRefusal } from '@zhiyang/shared';
import type { facesZhCN } from './i18n.ts';

const REFUSAL_EN: Record<FacePhotoRefusal, string> = {
  'not-an-image': 'not a JPEG or PNG image',
  'image-too-large': 'the image is too large (at most 4096 px a side, 12 MP)',
  'image-too-small': 'the image is too small',
  'no-face': 'no face found in the photo',
  'several-faces': 'several faces in the photo; photograph the elder alone',
  'face-too-small': 'the face is too small; come closer',
  'too-blurred': 'the photo is blurred; hold still and retake it',
  'not-frontal': 'face the camera; do not turn, lower or raise the head',
  'different-person': 'does not look like the same person as the other photos',
};

export const facesEnUS: typeof facesZhCN = {
  tab: 'Face',
  enrolled: 'Enrolled',
  notEnrolled: 'Not enrolled',
  status: 'Status',
  enrolledAt: 'Enrolled at',
  enrolledBy: 'Enrolled by',
  photos: 'Descriptors',
  consentSignedBy: 'Consent signed by',
  consentSignedAt: 'Signed at',
  consentDocumentRef: 'Consent document no.',
  canteens: 'Canteens that may recognise',
  canteensHint: "These canteens' kiosks may recognise the elder; with none, only community staff can match",
  none: 'None',
  enrolTitle: "Enrol the face (the elder's written consent first)",
  reEnrolTitle: 'Enrol again (replaces the stored face)',
  consentHint:
    'A face is sensitive personal data: only encrypted descriptors are kept, never the photos. Withdrawing consent deletes them at once.',
  signedByPlaceholder: 'The elder or the guardian (with the relation)',
  documentRefPlaceholder: "The signed consent's archive number",
  photoHint: '3–5 frontal photos of the elder (JPEG or PNG, 2 MB each at most), well lit, the elder alone',
  choosePhotos: 'Choose photos',
  enrol: 'Enrol',
  enrolled_ok: 'Face enrolled',
  refusedTitle: 'These photos did not pass; nothing was stored:',
  photoN: 'Photo {{n}}: {{reason}}',
  photoCount: 'Choose 3–5 photos',
  withdraw: 'Withdraw consent',
  withdrawConfirm: "Withdrawing consent deletes all of the elder's face descriptors at once; face recognition stops. Withdraw?",
  withdrawn: 'Consent withdrawn; the face descriptors are deleted',
  refusal: REFUSAL_EN,
};
