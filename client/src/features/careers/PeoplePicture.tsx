/**
 * Pictures for the "people at work" cards (ages 5-11): our own simple drawings, a person in work clothes with
 * the thing they work with. The data names an emoji for each card; Chromium and many school devices lack a colour
 * emoji font, so we draw our own picture and use the card's `alt` text as its name.
 */
import type { ReactNode } from 'react';

type Hat = 'none' | 'helmet' | 'chef' | 'cap' | 'police' | 'fire' | 'nurse' | 'pilot' | 'farmer';
type Prop =
  | 'cross'
  | 'wrench'
  | 'book'
  | 'bread'
  | 'plane'
  | 'bus'
  | 'paw'
  | 'tooth'
  | 'scissors'
  | 'letter'
  | 'flask'
  | 'palette'
  | 'note'
  | 'flower'
  | 'hammer'
  | 'gear'
  | 'laptop'
  | 'bolt'
  | 'drop'
  | 'ball'
  | 'camera'
  | 'house'
  | 'cart'
  | 'heart'
  | 'broom'
  | 'pen'
  | 'fish'
  | 'truck'
  | 'hose'
  | 'star'
  | 'badge'
  | 'pan'
  | 'phone'
  | 'baby'
  | 'train'
  | 'plate'
  | 'bin'
  | 'pill'
  | 'tree'
  | 'knife'
  | 'bone';

interface Drawing {
  bg: string;
  shirt: string;
  hat: Hat;
  prop: Prop;
}

/** Icon names the people-at-work data may use; anything else gets a friendly default. */
const DRAWINGS: Record<string, Drawing> = {
  doctor: { bg: '#dbeafe', shirt: '#ffffff', hat: 'none', prop: 'heart' },
  nurse: { bg: '#e0f2f1', shirt: '#4fa3a5', hat: 'nurse', prop: 'cross' },
  paramedic: { bg: '#dcfce7', shirt: '#2f8f46', hat: 'none', prop: 'cross' },
  dentist: { bg: '#e0f2fe', shirt: '#ffffff', hat: 'none', prop: 'tooth' },
  vet: { bg: '#fef3c7', shirt: '#6fa86f', hat: 'none', prop: 'paw' },
  teacher: { bg: '#fde68a', shirt: '#b5523b', hat: 'none', prop: 'book' },
  'teaching-assistant': { bg: '#fef9c3', shirt: '#c07a3b', hat: 'none', prop: 'pen' },
  librarian: { bg: '#ede9fe', shirt: '#6d5bb0', hat: 'none', prop: 'book' },
  firefighter: { bg: '#fee2e2', shirt: '#b91c1c', hat: 'fire', prop: 'hose' },
  'police-officer': { bg: '#dbeafe', shirt: '#1e3a8a', hat: 'police', prop: 'badge' },
  police: { bg: '#dbeafe', shirt: '#1e3a8a', hat: 'police', prop: 'badge' },
  farmer: { bg: '#dcfce7', shirt: '#3f6212', hat: 'farmer', prop: 'flower' },
  baker: { bg: '#ffedd5', shirt: '#ffffff', hat: 'chef', prop: 'bread' },
  chef: { bg: '#fff7ed', shirt: '#ffffff', hat: 'chef', prop: 'pan' },
  cook: { bg: '#fff7ed', shirt: '#ffffff', hat: 'chef', prop: 'pan' },
  builder: { bg: '#fef3c7', shirt: '#ea8a0c', hat: 'helmet', prop: 'hammer' },
  'construction-worker': { bg: '#fef3c7', shirt: '#ea8a0c', hat: 'helmet', prop: 'hammer' },
  carpenter: { bg: '#fde68a', shirt: '#8a5a2b', hat: 'none', prop: 'hammer' },
  electrician: { bg: '#fef9c3', shirt: '#1d4ed8', hat: 'helmet', prop: 'bolt' },
  plumber: { bg: '#e0f2fe', shirt: '#0369a1', hat: 'cap', prop: 'drop' },
  mechanic: { bg: '#e5e7eb', shirt: '#334155', hat: 'cap', prop: 'wrench' },
  engineer: { bg: '#e2e8f0', shirt: '#475569', hat: 'helmet', prop: 'gear' },
  pilot: { bg: '#e0f2fe', shirt: '#1e293b', hat: 'pilot', prop: 'plane' },
  'bus-driver': { bg: '#fef9c3', shirt: '#0f766e', hat: 'cap', prop: 'bus' },
  'lorry-driver': { bg: '#f1f5f9', shirt: '#7c2d12', hat: 'cap', prop: 'truck' },
  'truck-driver': { bg: '#f1f5f9', shirt: '#7c2d12', hat: 'cap', prop: 'truck' },
  'delivery-driver': { bg: '#f1f5f9', shirt: '#7c2d12', hat: 'cap', prop: 'truck' },
  'postal-worker': { bg: '#fee2e2', shirt: '#b91c1c', hat: 'cap', prop: 'letter' },
  'shop-assistant': { bg: '#fce7f3', shirt: '#be185d', hat: 'none', prop: 'cart' },
  'shop-worker': { bg: '#fce7f3', shirt: '#be185d', hat: 'none', prop: 'cart' },
  hairdresser: { bg: '#fae8ff', shirt: '#86198f', hat: 'none', prop: 'scissors' },
  scientist: { bg: '#ecfccb', shirt: '#ffffff', hat: 'none', prop: 'flask' },
  artist: { bg: '#fce7f3', shirt: '#9d174d', hat: 'none', prop: 'palette' },
  musician: { bg: '#ede9fe', shirt: '#4c1d95', hat: 'none', prop: 'note' },
  gardener: { bg: '#dcfce7', shirt: '#15803d', hat: 'farmer', prop: 'flower' },
  'software-developer': { bg: '#e0e7ff', shirt: '#3730a3', hat: 'none', prop: 'laptop' },
  programmer: { bg: '#e0e7ff', shirt: '#3730a3', hat: 'none', prop: 'laptop' },
  architect: { bg: '#f1f5f9', shirt: '#0f172a', hat: 'none', prop: 'house' },
  cleaner: { bg: '#e0f2fe', shirt: '#0e7490', hat: 'none', prop: 'broom' },
  journalist: { bg: '#f5f5f4', shirt: '#44403c', hat: 'none', prop: 'pen' },
  photographer: { bg: '#f5f5f4', shirt: '#292524', hat: 'none', prop: 'camera' },
  athlete: { bg: '#dcfce7', shirt: '#dc2626', hat: 'none', prop: 'ball' },
  footballer: { bg: '#dcfce7', shirt: '#dc2626', hat: 'none', prop: 'ball' },
  'sports-coach': { bg: '#dcfce7', shirt: '#2563eb', hat: 'cap', prop: 'ball' },
  fisher: { bg: '#cffafe', shirt: '#facc15', hat: 'farmer', prop: 'fish' },
  zookeeper: { bg: '#ecfccb', shirt: '#65a30d', hat: 'cap', prop: 'paw' },
  'care-worker': { bg: '#fce7f3', shirt: '#db2777', hat: 'none', prop: 'heart' },
  childminder: { bg: '#fef3c7', shirt: '#f97316', hat: 'none', prop: 'baby' },
  'call-centre-agent': { bg: '#e0e7ff', shirt: '#4338ca', hat: 'none', prop: 'phone' },
  actor: { bg: '#fae8ff', shirt: '#7e22ce', hat: 'none', prop: 'star' },
  astronaut: { bg: '#e0e7ff', shirt: '#e5e7eb', hat: 'helmet', prop: 'star' },
  'train-driver': { bg: '#fee2e2', shirt: '#1e3a8a', hat: 'cap', prop: 'train' },
  dancer: { bg: '#fce7f3', shirt: '#db2777', hat: 'none', prop: 'note' },
  waiter: { bg: '#f5f5f4', shirt: '#111827', hat: 'none', prop: 'plate' },
  'refuse-collector': { bg: '#dcfce7', shirt: '#f97316', hat: 'cap', prop: 'bin' },
  pharmacist: { bg: '#ecfdf5', shirt: '#ffffff', hat: 'none', prop: 'pill' },
  midwife: { bg: '#fdf2f8', shirt: '#0f766e', hat: 'none', prop: 'baby' },
  'forest-ranger': { bg: '#dcfce7', shirt: '#166534', hat: 'farmer', prop: 'tree' },
  butcher: { bg: '#fee2e2', shirt: '#ffffff', hat: 'cap', prop: 'knife' },
  physiotherapist: { bg: '#e0f2fe', shirt: '#0284c7', hat: 'none', prop: 'bone' },
};

const FALLBACK: Drawing = { bg: '#e5e7eb', shirt: '#0b5c4b', hat: 'none', prop: 'star' };

function hat(kind: Hat): ReactNode {
  switch (kind) {
    case 'helmet':
      return <path d="M32 34a16 16 0 0 1 32 0v2H30v-2z" fill="#facc15" stroke="#854d0e" strokeWidth="1.5" />;
    case 'chef':
      return (
        <g fill="#ffffff" stroke="#9ca3af" strokeWidth="1.5">
          <rect x="36" y="22" width="24" height="10" rx="2" />
          <circle cx="40" cy="20" r="6" />
          <circle cx="48" cy="17" r="7" />
          <circle cx="56" cy="20" r="6" />
        </g>
      );
    case 'cap':
      return <path d="M34 32a14 12 0 0 1 28 0h8v3H34z" fill="#1f2937" />;
    case 'police':
      return (
        <g>
          <rect x="33" y="24" width="30" height="9" rx="2" fill="#1e3a8a" />
          <rect x="31" y="32" width="34" height="3" fill="#111827" />
          <circle cx="48" cy="28" r="2.5" fill="#facc15" />
        </g>
      );
    case 'fire':
      return <path d="M30 35c0-12 8-17 18-17s18 5 18 17H30z" fill="#dc2626" stroke="#7f1d1d" strokeWidth="1.5" />;
    case 'nurse':
      return (
        <g>
          <rect x="38" y="20" width="20" height="8" rx="2" fill="#ffffff" stroke="#9ca3af" />
          <path d="M47 21h2v6h-2zM45 23h6v2h-6z" fill="#dc2626" />
        </g>
      );
    case 'pilot':
      return (
        <g>
          <path d="M33 31a15 10 0 0 1 30 0v3H33z" fill="#1e293b" />
          <circle cx="48" cy="27" r="2.5" fill="#facc15" />
        </g>
      );
    case 'farmer':
      return (
        <g fill="#d4a24c" stroke="#7c4a12" strokeWidth="1.5">
          <ellipse cx="48" cy="32" rx="22" ry="4" />
          <path d="M38 32c0-8 4-11 10-11s10 3 10 11z" />
        </g>
      );
    default:
      return <path d="M34 34c0-9 6-14 14-14s14 5 14 14c-4-5-9-6-14-6s-10 1-14 6z" fill="#4b2e1a" />;
  }
}

function prop(kind: Prop): ReactNode {
  // Drawn in a 24 x 24 box placed at the lower right.
  switch (kind) {
    case 'cross':
      return <path d="M9 3h6v6h6v6h-6v6H9v-6H3V9h6z" fill="#dc2626" />;
    case 'heart':
      return <path d="M12 21l-8-8a5 5 0 0 1 8-6 5 5 0 0 1 8 6z" fill="#e11d48" />;
    case 'wrench':
      return <path d="M16 2a6 6 0 0 0-5 8L3 18l3 3 8-8a6 6 0 0 0 8-5l-4 2-3-3z" fill="#64748b" />;
    case 'book':
      return (
        <g>
          <rect x="3" y="4" width="18" height="16" rx="1" fill="#2563eb" />
          <path d="M12 4v16" stroke="#fff" strokeWidth="1.5" />
        </g>
      );
    case 'bread':
      return <path d="M3 12c0-5 4-7 9-7s9 2 9 7v8H3z" fill="#d97706" stroke="#78350f" />;
    case 'pan':
      return (
        <g>
          <circle cx="10" cy="13" r="7" fill="#374151" />
          <rect x="16" y="11.5" width="7" height="3" rx="1" fill="#374151" />
        </g>
      );
    case 'plane':
      return <path d="M2 13l8-2 4-8h2l-2 8 7 1v2l-7 1 2 6h-2l-4-6-8-1z" fill="#0ea5e9" />;
    case 'bus':
      return (
        <g>
          <rect x="2" y="4" width="20" height="14" rx="2" fill="#f59e0b" />
          <rect x="4" y="6" width="16" height="5" fill="#e0f2fe" />
          <circle cx="7" cy="19" r="2.5" fill="#111827" />
          <circle cx="17" cy="19" r="2.5" fill="#111827" />
        </g>
      );
    case 'truck':
      return (
        <g>
          <rect x="1" y="6" width="14" height="11" fill="#b45309" />
          <path d="M15 9h5l3 4v4h-8z" fill="#1d4ed8" />
          <circle cx="6" cy="19" r="2.5" fill="#111827" />
          <circle cx="18" cy="19" r="2.5" fill="#111827" />
        </g>
      );
    case 'paw':
      return (
        <g fill="#7c2d12">
          <ellipse cx="12" cy="16" rx="5" ry="4" />
          <circle cx="5" cy="10" r="2.2" />
          <circle cx="9" cy="6" r="2.2" />
          <circle cx="15" cy="6" r="2.2" />
          <circle cx="19" cy="10" r="2.2" />
        </g>
      );
    case 'tooth':
      return <path d="M5 4c3-2 5 0 7 0s4-2 7 0 1 8-1 12l-2 6-2-6h-4l-2 6-2-6C4 12 2 6 5 4z" fill="#ffffff" stroke="#64748b" />;
    case 'scissors':
      return (
        <g stroke="#475569" strokeWidth="2" fill="none">
          <circle cx="6" cy="18" r="3" />
          <circle cx="18" cy="18" r="3" />
          <path d="M8 16L18 3M16 16L6 3" />
        </g>
      );
    case 'letter':
      return (
        <g>
          <rect x="2" y="5" width="20" height="14" fill="#ffffff" stroke="#475569" />
          <path d="M2 5l10 8 10-8" stroke="#475569" fill="none" />
        </g>
      );
    case 'flask':
      return <path d="M9 2h6v2h-1v6l6 10a2 2 0 0 1-2 3H6a2 2 0 0 1-2-3l6-10V4H9z" fill="#22c55e" stroke="#166534" />;
    case 'palette':
      return (
        <g>
          <path d="M12 2a10 10 0 1 0 0 20c2 0 2-2 1-3s0-3 2-3h3a4 4 0 0 0 4-4c0-5-4-10-10-10z" fill="#fde68a" stroke="#92400e" />
          <circle cx="7" cy="10" r="1.8" fill="#dc2626" />
          <circle cx="11" cy="6" r="1.8" fill="#2563eb" />
          <circle cx="16" cy="7" r="1.8" fill="#16a34a" />
        </g>
      );
    case 'note':
      return <path d="M9 3l12-2v15a3 3 0 1 1-2-3V5l-8 1v12a3 3 0 1 1-2-3z" fill="#4c1d95" />;
    case 'flower':
      return (
        <g>
          <path d="M12 12v11" stroke="#15803d" strokeWidth="2" />
          <circle cx="12" cy="5" r="3" fill="#f472b6" />
          <circle cx="7" cy="9" r="3" fill="#f472b6" />
          <circle cx="17" cy="9" r="3" fill="#f472b6" />
          <circle cx="12" cy="9" r="2.5" fill="#facc15" />
        </g>
      );
    case 'hammer':
      return (
        <g>
          <rect x="11" y="8" width="3" height="15" fill="#92400e" />
          <rect x="5" y="3" width="15" height="6" rx="1" fill="#475569" />
        </g>
      );
    case 'gear':
      return (
        <g fill="#475569">
          <circle cx="12" cy="12" r="7" />
          <path d="M10 1h4v5h-4zM10 18h4v5h-4zM1 10h5v4H1zM18 10h5v4h-5z" />
          <circle cx="12" cy="12" r="3" fill="#e2e8f0" />
        </g>
      );
    case 'laptop':
      return (
        <g>
          <rect x="4" y="4" width="16" height="11" rx="1" fill="#1e293b" />
          <rect x="6" y="6" width="12" height="7" fill="#60a5fa" />
          <rect x="1" y="16" width="22" height="3" rx="1" fill="#475569" />
        </g>
      );
    case 'bolt':
      return <path d="M14 1L4 14h6l-2 9 10-13h-6z" fill="#eab308" stroke="#854d0e" />;
    case 'drop':
      return <path d="M12 2c4 6 7 9 7 13a7 7 0 0 1-14 0c0-4 3-7 7-13z" fill="#0ea5e9" />;
    case 'ball':
      return (
        <g>
          <circle cx="12" cy="12" r="10" fill="#ffffff" stroke="#111827" />
          <path d="M12 7l4 3-1.5 5h-5L8 10z" fill="#111827" />
        </g>
      );
    case 'camera':
      return (
        <g>
          <rect x="2" y="7" width="20" height="14" rx="2" fill="#1f2937" />
          <rect x="8" y="4" width="8" height="4" fill="#1f2937" />
          <circle cx="12" cy="14" r="4" fill="#93c5fd" />
        </g>
      );
    case 'house':
      return <path d="M12 2l10 9h-3v11H5V11H2z" fill="#f97316" stroke="#7c2d12" />;
    case 'cart':
      return (
        <g>
          <path d="M1 4h4l3 11h12l3-8H7" stroke="#be185d" strokeWidth="2" fill="none" />
          <circle cx="9" cy="20" r="2" fill="#be185d" />
          <circle cx="18" cy="20" r="2" fill="#be185d" />
        </g>
      );
    case 'broom':
      return (
        <g>
          <rect x="11" y="1" width="2.5" height="13" fill="#92400e" />
          <path d="M6 14h12l2 9H4z" fill="#eab308" />
        </g>
      );
    case 'pen':
      return <path d="M3 21l2-6L17 3l4 4L9 19zM15 5l4 4" fill="#2563eb" stroke="#1e3a8a" />;
    case 'fish':
      return (
        <g>
          <ellipse cx="10" cy="12" rx="8" ry="5" fill="#f97316" />
          <path d="M17 12l6-5v10z" fill="#f97316" />
          <circle cx="6" cy="11" r="1.2" fill="#111827" />
        </g>
      );
    case 'hose':
      return (
        <g>
          <path d="M2 20c6 0 6-8 12-8h4" stroke="#1f2937" strokeWidth="3" fill="none" />
          <path d="M18 9l5 1v4l-5 1z" fill="#facc15" />
        </g>
      );
    case 'badge':
      return <path d="M12 1l3 6 7 1-5 5 1 7-6-3-6 3 1-7-5-5 7-1z" fill="#facc15" stroke="#854d0e" />;
    case 'phone':
      return <path d="M5 2h4l2 5-3 2a12 12 0 0 0 7 7l2-3 5 2v4a2 2 0 0 1-2 2C10 21 3 14 3 4a2 2 0 0 1 2-2z" fill="#4338ca" />;
    case 'baby':
      return (
        <g>
          <circle cx="12" cy="8" r="5" fill="#fcd5b5" />
          <rect x="6" y="13" width="12" height="9" rx="4" fill="#93c5fd" />
        </g>
      );
    case 'train':
      return (
        <g>
          <rect x="4" y="2" width="16" height="16" rx="3" fill="#dc2626" />
          <rect x="7" y="5" width="10" height="5" fill="#e0f2fe" />
          <path d="M6 22l3-4M18 22l-3-4" stroke="#111827" strokeWidth="2" />
        </g>
      );
    case 'plate':
      return (
        <g>
          <path d="M3 16a9 9 0 0 1 18 0z" fill="#cbd5e1" stroke="#475569" />
          <rect x="1" y="16" width="22" height="3" rx="1" fill="#475569" />
          <circle cx="12" cy="6" r="1.5" fill="#475569" />
        </g>
      );
    case 'bin':
      return (
        <g>
          <rect x="5" y="7" width="14" height="15" rx="1" fill="#16a34a" />
          <rect x="3" y="4" width="18" height="3" rx="1" fill="#166534" />
          <path d="M9 10v9M12 10v9M15 10v9" stroke="#dcfce7" />
        </g>
      );
    case 'pill':
      return (
        <g transform="rotate(-45 12 12)">
          <rect x="3" y="8" width="18" height="8" rx="4" fill="#ffffff" stroke="#475569" />
          <path d="M12 8h5a4 4 0 0 1 0 8h-5z" fill="#16a34a" />
        </g>
      );
    case 'tree':
      return (
        <g>
          <path d="M12 1l8 12h-5l5 6H4l5-6H4z" fill="#15803d" />
          <rect x="10.5" y="19" width="3" height="4" fill="#92400e" />
        </g>
      );
    case 'knife':
      return (
        <g>
          <path d="M3 14L17 2c2 2 2 6-1 9l-9 6z" fill="#cbd5e1" stroke="#475569" />
          <rect x="2" y="16" width="7" height="4" rx="1" transform="rotate(-40 5 18)" fill="#92400e" />
        </g>
      );
    case 'bone':
      return (
        <path
          d="M6 4a3 3 0 0 1 3 3l6 6a3 3 0 1 1 2 4 3 3 0 1 1-4 2l-6-6a3 3 0 1 1-2-4 3 3 0 1 1 1-5z"
          fill="#f8fafc"
          stroke="#475569"
        />
      );
    default:
      return <path d="M12 1l3 7h8l-6 5 2 8-7-4-7 4 2-8-6-5h8z" fill="#f59e0b" />;
  }
}

/** The object part of an emoji (ZWJ sequences like "🧑‍🚒" end in the object) → one of our drawings; the fallback. */
const EMOJI: Record<string, string> = {
  '⚕': 'doctor',
  '🩺': 'doctor',
  '💉': 'nurse',
  '🚑': 'paramedic',
  '🦷': 'dentist',
  '🐾': 'vet',
  '🐶': 'vet',
  '🐕': 'vet',
  '🐈': 'vet',
  '🏫': 'teacher',
  '📚': 'librarian',
  '📖': 'librarian',
  '🚒': 'firefighter',
  '👮': 'police',
  '🚓': 'police',
  '🌾': 'farmer',
  '🚜': 'farmer',
  '🍞': 'baker',
  '🥖': 'baker',
  '🥐': 'baker',
  '🍳': 'chef',
  '👷': 'builder',
  '🏗': 'builder',
  '🧱': 'builder',
  '🪚': 'carpenter',
  '🔨': 'carpenter',
  '⚡': 'electrician',
  '💡': 'electrician',
  '🚰': 'plumber',
  '🔧': 'mechanic',
  '🏭': 'engineer',
  '⚙': 'engineer',
  '✈': 'pilot',
  '🚌': 'bus-driver',
  '🚚': 'lorry-driver',
  '🚛': 'lorry-driver',
  '📮': 'postal-worker',
  '✉': 'postal-worker',
  '📦': 'delivery-driver',
  '🛒': 'shop-assistant',
  '🏪': 'shop-assistant',
  '💇': 'hairdresser',
  '💈': 'hairdresser',
  '✂': 'hairdresser',
  '🔬': 'scientist',
  '🧪': 'scientist',
  '🎨': 'artist',
  '🎤': 'musician',
  '🎵': 'musician',
  '🎸': 'musician',
  '🎻': 'musician',
  '🌻': 'gardener',
  '🌷': 'gardener',
  '🌱': 'gardener',
  '💻': 'programmer',
  '📐': 'architect',
  '🏠': 'architect',
  '🧹': 'cleaner',
  '📰': 'journalist',
  '📷': 'photographer',
  '⚽': 'footballer',
  '🏃': 'sports-coach',
  '🎣': 'fisher',
  '🐟': 'fisher',
  '🦁': 'zookeeper',
  '🐘': 'zookeeper',
  '🤲': 'care-worker',
  '❤': 'care-worker',
  '👶': 'childminder',
  '🍼': 'childminder',
  '☎': 'call-centre-agent',
  '🎧': 'call-centre-agent',
  '🎭': 'actor',
  '🚀': 'astronaut',
};

/** English title words → drawing; checked first because titles are more specific than emoji (🩺 nurse or doctor?). */
const WORDS: [RegExp, string][] = [
  [/midwife/i, 'midwife'],
  [/childcare|childminder|nursery/i, 'childminder'],
  [/paramedic|ambulance/i, 'paramedic'],
  [/physio/i, 'physiotherapist'],
  [/pharmac/i, 'pharmacist'],
  [/nurs/i, 'nurse'],
  [/doctor|physician|general practitioner/i, 'doctor'],
  [/dentist/i, 'dentist'],
  [/\bvet/i, 'vet'],
  [/teach/i, 'teacher'],
  [/librar/i, 'librarian'],
  [/fire/i, 'firefighter'],
  [/police/i, 'police'],
  [/forest|ranger/i, 'forest-ranger'],
  [/farm/i, 'farmer'],
  [/bake/i, 'baker'],
  [/butcher/i, 'butcher'],
  [/cook|chef/i, 'chef'],
  [/waiter|waitress/i, 'waiter'],
  [/build|construct|bricklay/i, 'builder'],
  [/carpent|joiner/i, 'carpenter'],
  [/electric/i, 'electrician'],
  [/plumb/i, 'plumber'],
  [/mechanic/i, 'mechanic'],
  [/software|program|developer/i, 'programmer'],
  [/engineer/i, 'engineer'],
  [/pilot/i, 'pilot'],
  [/train driver/i, 'train-driver'],
  [/bus driver/i, 'bus-driver'],
  [/lorry|truck|delivery/i, 'lorry-driver'],
  [/post/i, 'postal-worker'],
  [/shop|sales|cashier/i, 'shop-assistant'],
  [/hair/i, 'hairdresser'],
  [/scien|chemist|biolog/i, 'scientist'],
  [/artist|painter|illustrat/i, 'artist'],
  [/danc/i, 'dancer'],
  [/music|sing/i, 'musician'],
  [/garden/i, 'gardener'],
  [/architect/i, 'architect'],
  [/refuse|waste|recycl/i, 'refuse-collector'],
  [/clean/i, 'cleaner'],
  [/journalist|reporter|writer/i, 'journalist'],
  [/photo/i, 'photographer'],
  [/football|athlet|sport/i, 'footballer'],
  [/fish/i, 'fisher'],
  [/zoo|animal/i, 'zookeeper'],
  [/care|social/i, 'care-worker'],
  [/actor|actress/i, 'actor'],
  [/astronaut/i, 'astronaut'],
];

// Variation selectors, skin tones and the gender signs of ZWJ sequences do not change the picture.
const NOISE = /\uFE0E|\uFE0F|[\u{1F3FB}-\u{1F3FF}]|\u2640|\u2642/gu;

/** Picks our drawing for a card from its English title (most specific), else from its emoji. */
export function drawingFor(emoji: string, englishTitle: string): string | null {
  const byTitle = WORDS.find(([re]) => re.test(englishTitle))?.[1];
  if (byTitle) return byTitle;
  const parts = emoji.replace(NOISE, '').split('\u200D').filter(Boolean);
  for (const part of [...parts].reverse()) {
    const found = EMOJI[part];
    if (found) return found;
  }
  return null;
}

/** A picture for one people-at-work card; `label` is its accessible name (the card's `alt`). */
export function PeoplePicture({ icon, label }: { icon: string | null; label: string }) {
  const d = (icon ? DRAWINGS[icon] : undefined) ?? FALLBACK;
  return (
    <svg viewBox="0 0 96 96" role="img" aria-label={label} focusable="false">
      <circle cx="48" cy="48" r="46" fill={d.bg} />
      <path d="M20 92c0-22 12-34 28-34s28 12 28 34z" fill={d.shirt} stroke="#475569" strokeWidth="1.5" />
      <circle cx="48" cy="38" r="14" fill="#e8b48f" />
      {hat(d.hat)}
      <circle cx="43" cy="39" r="1.6" fill="#1f2937" />
      <circle cx="53" cy="39" r="1.6" fill="#1f2937" />
      <path d="M43 45q5 4 10 0" stroke="#1f2937" strokeWidth="1.5" fill="none" />
      <g transform="translate(60 60)">
        <circle cx="12" cy="12" r="16" fill="#ffffff" stroke="#cbd5e1" />
        {prop(d.prop)}
      </g>
    </svg>
  );
}
