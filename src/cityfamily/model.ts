import {z} from 'zod'

/**
 * The canonical model between Abelium (Domino) exports and CityFamily imports. Minimal but
 * real, after Noethys' models (research/cityfamily.md §2): households and persons linked
 * many-to-many (Rattachement) with a role and a custody kind, legal guardians and their
 * rights, CAF/MSA régime and allocataire number, dated quotient familial records, health
 * records and authorisations, registrations, attendance, invoices, payments and their
 * allocation (unpaid = invoiced − allocated), RPE childminders with their agrément and
 * availability, documents as references.
 *
 * Each entity is described once as data (`ENTITIES`): field kinds drive the parsing of a
 * source row, the normalisation, the zod schema of a canonical row and the output formats.
 * Column names never live here: they are in the mapping files (templates/cityfamily/).
 */
export type EntityName =
  | 'household'
  | 'person'
  | 'membership'
  | 'quotient'
  | 'health'
  | 'authorisation'
  | 'registration'
  | 'attendance'
  | 'invoice'
  | 'payment'
  | 'allocation'
  | 'childminder'
  | 'availability'
  | 'document'

export type FieldKind = 'id' | 'text' | 'name' | 'date' | 'cents' | 'int' | 'bool' | 'enum' | 'phone' | 'email' | 'postal' | 'insee'

export interface FieldDef {
  kind: FieldKind
  required?: boolean
  /** Foreign key: the value must exist as the `id` of this entity. */
  ref?: EntityName
  /** Allowed canonical values (kind enum). */
  values?: readonly string[]
  min?: number
  max?: number
  /** Health data (fiche sanitaire): left out unless --include-health. */
  health?: boolean
  /** Personal data replaced by `anonymize`: how. */
  personal?: 'lastName' | 'firstName' | 'address' | 'phone' | 'email' | 'number' | 'freeText' | 'city'
}

/**
 * The limits of a text field (id, name, text, contact fields before normalisation): free
 * text (personal 'freeText': health labels, details) may span lines and hold 2000
 * characters; every other field is one line of at most `max` (default 200) characters.
 */
export function textLimits(def: FieldDef): {max: number; multiline: boolean} {
  const multiline = def.personal === 'freeText'
  return {max: def.max ?? (multiline ? 2000 : 200), multiline}
}

export interface EntityDef {
  /** Fields that identify a row (duplicates on this key are rejected). */
  key: readonly string[]
  fields: Record<string, FieldDef>
  /** Whole entity is health data. */
  health?: boolean
  label: string
}

export const REGIMES = ['CAF', 'MSA', 'AUTRE'] as const
export const ROLES = ['responsable', 'enfant', 'contact'] as const
/** exclusive: lives here; alternee: shared custody; accueil: foster family; visite: right of visit only. */
export const CUSTODY = ['exclusive', 'alternee', 'accueil', 'visite'] as const
export const STRUCTURES = ['creche', 'alsh', 'periscolaire', 'restauration', 'rpe'] as const
export const ATTENDANCE_STATES = ['reservation', 'present', 'absent_justifie', 'absent'] as const
export const HEALTH_KINDS = ['allergie', 'pai', 'vaccination', 'traitement', 'regime'] as const
export const AUTHORISATION_KINDS = ['image', 'sortie_seul', 'contact_urgence', 'transport'] as const
export const PAYMENT_MODES = ['especes', 'cheque', 'virement', 'prelevement', 'cb', 'cesu'] as const
export const DOCUMENT_KINDS = [
  'avis_caf',
  'avis_imposition',
  'jugement_garde',
  'attestation_assurance',
  'carnet_vaccination',
  'agrement',
  'autre',
] as const

export const ENTITIES = {
  household: {
    label: 'Foyers',
    key: ['id'],
    fields: {
      id: {kind: 'id', required: true},
      name: {kind: 'name', personal: 'lastName'},
      address: {kind: 'text', personal: 'address'},
      postalCode: {kind: 'postal'},
      city: {kind: 'text'},
      inseeCode: {kind: 'insee'},
      phone: {kind: 'phone', personal: 'phone'},
      email: {kind: 'email', personal: 'email'},
      regime: {kind: 'enum', values: REGIMES},
      allocataireNumber: {kind: 'text', personal: 'number'},
    },
  },
  person: {
    label: 'Individus',
    key: ['id'],
    fields: {
      id: {kind: 'id', required: true},
      lastName: {kind: 'name', required: true, personal: 'lastName'},
      firstName: {kind: 'name', required: true, personal: 'firstName'},
      birthDate: {kind: 'date'},
      sex: {kind: 'enum', values: ['F', 'M']},
      phone: {kind: 'phone', personal: 'phone'},
      email: {kind: 'email', personal: 'email'},
    },
  },
  membership: {
    label: 'Rattachements',
    key: ['householdId', 'personId'],
    fields: {
      householdId: {kind: 'id', required: true, ref: 'household'},
      personId: {kind: 'id', required: true, ref: 'person'},
      role: {kind: 'enum', required: true, values: ROLES},
      custody: {kind: 'enum', values: CUSTODY},
      /** Legal guardian (responsable légal) of the child in this household. */
      legalGuardian: {kind: 'bool'},
      /** Holds parental authority (may sign, be informed). */
      parentalAuthority: {kind: 'bool'},
      /** May collect the child. */
      pickup: {kind: 'bool'},
      /** Pays this household's invoices (titulaire). */
      payer: {kind: 'bool'},
    },
  },
  quotient: {
    label: 'Quotients familiaux',
    key: ['id'],
    fields: {
      id: {kind: 'id', required: true},
      householdId: {kind: 'id', required: true, ref: 'household'},
      startDate: {kind: 'date', required: true},
      endDate: {kind: 'date'},
      value: {kind: 'int', required: true, min: 0, max: 100000},
      source: {kind: 'enum', values: ['CAF', 'MSA', 'MANUEL']},
    },
  },
  health: {
    label: 'Fiches sanitaires',
    health: true,
    key: ['id'],
    fields: {
      id: {kind: 'id', required: true},
      personId: {kind: 'id', required: true, ref: 'person'},
      kind: {kind: 'enum', required: true, values: HEALTH_KINDS, health: true},
      label: {kind: 'text', required: true, health: true, personal: 'freeText'},
      date: {kind: 'date', health: true},
      detail: {kind: 'text', health: true, personal: 'freeText'},
    },
  },
  authorisation: {
    label: 'Autorisations',
    key: ['id'],
    fields: {
      id: {kind: 'id', required: true},
      personId: {kind: 'id', required: true, ref: 'person'},
      kind: {kind: 'enum', required: true, values: AUTHORISATION_KINDS},
      granted: {kind: 'bool', required: true},
      contactName: {kind: 'name', personal: 'lastName'},
      contactPhone: {kind: 'phone', personal: 'phone'},
    },
  },
  registration: {
    label: 'Inscriptions',
    key: ['id'],
    fields: {
      id: {kind: 'id', required: true},
      personId: {kind: 'id', required: true, ref: 'person'},
      householdId: {kind: 'id', required: true, ref: 'household'},
      structure: {kind: 'enum', required: true, values: STRUCTURES},
      site: {kind: 'text'},
      startDate: {kind: 'date', required: true},
      endDate: {kind: 'date'},
      status: {kind: 'enum', values: ['validee', 'attente', 'refusee']},
    },
  },
  attendance: {
    label: 'Réservations et présences',
    key: ['registrationId', 'date'],
    fields: {
      registrationId: {kind: 'id', required: true, ref: 'registration'},
      date: {kind: 'date', required: true},
      state: {kind: 'enum', required: true, values: ATTENDANCE_STATES},
    },
  },
  invoice: {
    label: 'Factures',
    key: ['id'],
    fields: {
      id: {kind: 'id', required: true},
      householdId: {kind: 'id', required: true, ref: 'household'},
      date: {kind: 'date', required: true},
      label: {kind: 'text'},
      amount: {kind: 'cents', required: true, min: 0},
    },
  },
  payment: {
    label: 'Règlements',
    key: ['id'],
    fields: {
      id: {kind: 'id', required: true},
      householdId: {kind: 'id', required: true, ref: 'household'},
      date: {kind: 'date', required: true},
      amount: {kind: 'cents', required: true, min: 0},
      mode: {kind: 'enum', values: PAYMENT_MODES},
    },
  },
  allocation: {
    label: 'Ventilations',
    key: ['paymentId', 'invoiceId'],
    fields: {
      paymentId: {kind: 'id', required: true, ref: 'payment'},
      invoiceId: {kind: 'id', required: true, ref: 'invoice'},
      amount: {kind: 'cents', required: true, min: 0},
    },
  },
  childminder: {
    label: 'Assistants maternels (RPE)',
    key: ['id'],
    fields: {
      id: {kind: 'id', required: true},
      lastName: {kind: 'name', required: true, personal: 'lastName'},
      firstName: {kind: 'name', required: true, personal: 'firstName'},
      agrementNumber: {kind: 'text', required: true, personal: 'number'},
      agrementDate: {kind: 'date'},
      /** CASF L421-4: at most 4 children at once. */
      capacity: {kind: 'int', required: true, min: 1, max: 4},
      phone: {kind: 'phone', personal: 'phone'},
      postalCode: {kind: 'postal'},
      city: {kind: 'text'},
    },
  },
  availability: {
    label: 'Disponibilités des assistants maternels',
    key: ['childminderId', 'fromDate'],
    fields: {
      childminderId: {kind: 'id', required: true, ref: 'childminder'},
      fromDate: {kind: 'date', required: true},
      places: {kind: 'int', required: true, min: 0, max: 4},
    },
  },
  document: {
    label: 'Pièces justificatives',
    key: ['id'],
    fields: {
      id: {kind: 'id', required: true},
      householdId: {kind: 'id', ref: 'household'},
      personId: {kind: 'id', ref: 'person'},
      kind: {kind: 'enum', required: true, values: DOCUMENT_KINDS},
      reference: {kind: 'text', required: true},
      date: {kind: 'date'},
    },
  },
} as const satisfies Record<EntityName, EntityDef>

/** Processing order: referenced entities before the ones pointing to them. */
export const ENTITY_ORDER: EntityName[] = [
  'household',
  'person',
  'membership',
  'quotient',
  'health',
  'authorisation',
  'registration',
  'attendance',
  'invoice',
  'payment',
  'allocation',
  'childminder',
  'availability',
  'document',
]

export function entityDef(name: EntityName): EntityDef {
  return ENTITIES[name] as EntityDef
}

/** A canonical row: field → normalised value (string, number in cents/units, boolean). */
export type CanonicalValue = string | number | boolean | undefined
export type CanonicalRow = Record<string, CanonicalValue>

/** The zod schema of a canonical (already normalised) row of an entity. */
export function canonicalSchema(name: EntityName): z.ZodType<CanonicalRow> {
  const shape: Record<string, z.ZodType> = {}
  for (const [field, def] of Object.entries(entityDef(name).fields)) {
    let s: z.ZodType
    switch (def.kind) {
      case 'cents':
      case 'int': {
        let n = z.number().int()
        if (def.min !== undefined) n = n.min(def.kind === 'cents' ? def.min * 100 : def.min)
        if (def.max !== undefined) n = n.max(def.kind === 'cents' ? def.max * 100 : def.max)
        s = n
        break
      }
      case 'bool':
        s = z.boolean()
        break
      case 'enum':
        s = z.enum(def.values as [string, ...string[]])
        break
      case 'date':
        s = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
        break
      case 'phone':
        s = z.string().regex(/^(0[1-9](?: \d{2}){4}|\+\d{6,15})$/)
        break
      case 'email':
        s = z.string().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/)
        break
      case 'postal':
        s = z.string().regex(/^\d{5}$/)
        break
      case 'insee':
        s = z.string().regex(/^(\d{5}|2[AB]\d{3})$/)
        break
      default:
        s = z.string().min(1)
    }
    shape[field] = def.required ? s : s.optional()
  }
  return z.object(shape) as unknown as z.ZodType<CanonicalRow>
}

/** Key of a row as one string (fields of the entity's key joined). */
export function rowKey(name: EntityName, row: CanonicalRow): string {
  return entityDef(name)
    .key.map((k) => String(row[k] ?? ''))
    .join('\u001f')
}
