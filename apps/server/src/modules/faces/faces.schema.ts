import { integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { elders } from '../elders/elders.schema.ts';
import { organizations } from '../organizations/organizations.schema.ts';
import { users } from '../users/users.schema.ts';

/** An elder's face enrolment: encrypted descriptors and the written consent (migration 0500). */
export const faceEnrolments = pgTable('face_enrolments', {
  elderId: uuid('elder_id')
    .primaryKey()
    .references(() => elders.id, { onDelete: 'cascade' }),
  descriptorsEnc: text('descriptors_enc').notNull(),
  descriptorCount: integer('descriptor_count').notNull(),
  descriptorLength: integer('descriptor_length').notNull(),
  model: text('model').notNull(),
  consentSignedBy: text('consent_signed_by').notNull(),
  consentSignedAt: timestamp('consent_signed_at', { withTimezone: true }).notNull(),
  consentDocumentRef: text('consent_document_ref').notNull(),
  enrolledBy: uuid('enrolled_by').references(() => users.id),
  enrolledAt: timestamp('enrolled_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The canteens whose kiosks may identify an enrolled elder. */
export const faceGalleryOrgs = pgTable(
  'face_gallery_orgs',
  {
    elderId: uuid('elder_id')
      .notNull()
      .references(() => faceEnrolments.elderId, { onDelete: 'cascade' }),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id),
  },
  (t) => [primaryKey({ columns: [t.elderId, t.orgId] })],
);
