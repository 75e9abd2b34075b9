/**
 * The pupil-facing text of a module: what the reading-level and repeated-text checks measure.
 *
 * Included: module title and summary; every activity's title and instructions; reflection prompts and
 * starters; choice questions, options and feedback; sort categories and cards; scale statements and anchors;
 * scenario node text, choices, choice feedback and end messages; research field labels and help; experience
 * preparation and prompts; plan prompts. Excluded: teacher notes, outcomes (curriculum statements for staff and
 * reports) and the extension (a teacher-led follow-up).
 */
import type { LocalizedText, Module } from './schema.js';

export interface PupilText {
  /** Path inside the module file, e.g. `activities[2].options[0].feedback`. */
  path: string;
  text: LocalizedText;
}

/** Every pupil-facing string of a module, in file order. */
export function pupilText(module: Module): PupilText[] {
  const out: PupilText[] = [];
  const add = (path: string, text: LocalizedText | undefined) => {
    if (text) out.push({ path, text });
  };
  add('title', module.title);
  add('summary', module.summary);
  module.activities.forEach((a, i) => {
    const p = `activities[${i}]`;
    add(`${p}.title`, a.title);
    add(`${p}.instructions`, a.instructions);
    switch (a.type) {
      case 'reflection':
        a.prompts.forEach((q, j) => {
          add(`${p}.prompts[${j}].text`, q.text);
          add(`${p}.prompts[${j}].starter`, q.starter);
        });
        break;
      case 'choice':
      case 'picture-choice':
        add(`${p}.question`, a.question);
        a.options.forEach((o, j) => {
          add(`${p}.options[${j}].label`, o.label);
          add(`${p}.options[${j}].feedback`, o.feedback);
        });
        break;
      case 'sort':
        a.categories.forEach((c, j) => add(`${p}.categories[${j}].label`, c.label));
        a.cards.forEach((c, j) => add(`${p}.cards[${j}].label`, c.label));
        break;
      case 'scale':
        a.statements.forEach((s, j) => add(`${p}.statements[${j}].text`, s.text));
        add(`${p}.anchors.low`, a.anchors.low);
        add(`${p}.anchors.high`, a.anchors.high);
        break;
      case 'scenario':
        a.nodes.forEach((n, j) => {
          add(`${p}.nodes[${j}].text`, n.text);
          n.choices.forEach((c, k) => {
            add(`${p}.nodes[${j}].choices[${k}].label`, c.label);
            add(`${p}.nodes[${j}].choices[${k}].feedback`, c.feedback);
          });
          add(`${p}.nodes[${j}].end.message`, n.end?.message);
        });
        break;
      case 'research':
        a.fields.forEach((f, j) => {
          add(`${p}.fields[${j}].label`, f.label);
          add(`${p}.fields[${j}].help`, f.help);
        });
        break;
      case 'experience':
        add(`${p}.preparation`, a.preparation);
        a.prompts.forEach((q, j) => add(`${p}.prompts[${j}].text`, q.text));
        break;
      case 'plan':
        add(`${p}.goalPrompt`, a.goalPrompt);
        add(`${p}.stepPrompt`, a.stepPrompt);
        add(`${p}.supportPrompt`, a.supportPrompt);
        break;
    }
  });
  return out;
}
