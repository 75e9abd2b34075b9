import { useEffect, useEffectEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SortAnswer } from '../answers.js';
import type { ActivityProps } from '../types.js';

const DRAG_TYPE = 'application/x-waymark-card';

/**
 * A card sort that works without a mouse: every card has a "Move to" menu (a native select, so keyboards,
 * switch access and screen readers all know it). The cards keep their place in the list, so focus never jumps;
 * the groups below show where each card is, and pointer users may drag cards onto a group as well.
 */
export function Sort({ activity, answer, onChange, onCommit, lang }: ActivityProps<'sort', SortAnswer>) {
  const { t } = useTranslation();
  const id = useId();
  const placements = answer?.placements ?? {};
  const [status, setStatus] = useState('');
  const [dragOver, setDragOver] = useState<string | null>(null);
  const categoryOf = (cardId: string) => activity.categories.find((c) => c.id === placements[cardId]);
  const sortedCount = activity.cards.filter((c) => categoryOf(c.id)).length;

  const place = (cardId: string, categoryId: string) => {
    const next = Object.fromEntries(Object.entries(placements).filter(([card]) => card !== cardId));
    if (categoryId) next[cardId] = categoryId;
    onChange({ type: 'sort', placements: next });
    onCommit();
    const card = activity.cards.find((c) => c.id === cardId);
    const category = activity.categories.find((c) => c.id === categoryId);
    const count = activity.cards.filter((c) => activity.categories.some((cat) => cat.id === next[c.id])).length;
    const moved = category
      ? t('player.sort.moved', { card: card?.label[lang], category: category.label[lang] })
      : t('player.sort.unplaced', { card: card?.label[lang] });
    setStatus(`${moved} ${t('player.sort.progress', { count, total: activity.cards.length })}`);
  };

  // Drag and drop is an extra for pointer users (the "Move to" menus do the same), so it is wired natively
  // on the container: cards carry data-card, groups data-category.
  const boardRef = useRef<HTMLDivElement>(null);
  const dropCard = useEffectEvent((cardId: string, categoryId: string) => {
    if (activity.cards.some((c) => c.id === cardId)) place(cardId, categoryId);
  });
  useEffect(() => {
    const board = boardRef.current;
    if (!board) return;
    const zoneOf = (event: Event) =>
      event.target instanceof Element ? event.target.closest<HTMLElement>('[data-category]') : null;
    const onDragStart = (event: DragEvent) => {
      const card = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-card]') : null;
      if (!card?.dataset.card || !event.dataTransfer) return;
      event.dataTransfer.setData(DRAG_TYPE, card.dataset.card);
      event.dataTransfer.effectAllowed = 'move';
    };
    const onDragOver = (event: DragEvent) => {
      const zone = zoneOf(event);
      if (!zone || !event.dataTransfer?.types.includes(DRAG_TYPE)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      setDragOver(zone.dataset.category ?? null);
    };
    const onDragLeave = (event: DragEvent) => {
      if (!zoneOf(event)) setDragOver(null);
    };
    const onDrop = (event: DragEvent) => {
      const zone = zoneOf(event);
      if (!zone || !event.dataTransfer) return;
      event.preventDefault();
      setDragOver(null);
      const cardId = event.dataTransfer.getData(DRAG_TYPE);
      dropCard(cardId, zone.dataset.category ?? '');
    };
    const onDragEnd = () => setDragOver(null);
    board.addEventListener('dragstart', onDragStart);
    board.addEventListener('dragover', onDragOver);
    board.addEventListener('dragleave', onDragLeave);
    board.addEventListener('drop', onDrop);
    board.addEventListener('dragend', onDragEnd);
    return () => {
      board.removeEventListener('dragstart', onDragStart);
      board.removeEventListener('dragover', onDragOver);
      board.removeEventListener('dragleave', onDragLeave);
      board.removeEventListener('drop', onDrop);
      board.removeEventListener('dragend', onDragEnd);
    };
  }, []);

  return (
    <div className="sort" ref={boardRef}>
      <p className="meta" id={`${id}-progress`}>
        {t('player.sort.progress', { count: sortedCount, total: activity.cards.length })}
      </p>
      <ul className="sort__cards" aria-label={t('player.sort.cards')}>
        {activity.cards.map((card) => {
          const selectId = `${id}-${card.id}`;
          const category = categoryOf(card.id);
          return (
            <li key={card.id} className={category ? 'sort-card sort-card--placed' : 'sort-card'} draggable data-card={card.id}>
              <span className="sort-card__name">
                {card.picture ? (
                  <span className="sort-card__picture" aria-hidden="true">
                    {card.picture}
                  </span>
                ) : null}
                <span>{card.label[lang]}</span>
              </span>
              <label className="sort-card__move" htmlFor={selectId}>
                <span>{t('player.sort.moveTo')}</span>
                <span className="visually-hidden"> ({card.label[lang]})</span>
              </label>
              <select id={selectId} value={category?.id ?? ''} onChange={(e) => place(card.id, e.target.value)}>
                <option value="">{t('player.sort.notSorted')}</option>
                {activity.categories.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.label[lang]}
                  </option>
                ))}
              </select>
            </li>
          );
        })}
      </ul>
      <div className="sort__groups">
        {activity.categories.map((category) => {
          const cards = activity.cards.filter((c) => placements[c.id] === category.id);
          return (
            <section
              key={category.id}
              className={dragOver === category.id ? 'sort-group sort-group--over' : 'sort-group'}
              aria-labelledby={`${id}-g-${category.id}`}
              data-category={category.id}
            >
              <h3 id={`${id}-g-${category.id}`} className="sort-group__title">
                {category.picture ? <span aria-hidden="true">{category.picture} </span> : null}
                {category.label[lang]}
              </h3>
              {cards.length === 0 ? (
                <p className="meta">{t('player.sort.empty')}</p>
              ) : (
                <ul className="sort-group__cards">
                  {cards.map((card) => (
                    <li key={card.id} draggable data-card={card.id} className="chip">
                      {card.picture ? <span aria-hidden="true">{card.picture} </span> : null}
                      {card.label[lang]}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          );
        })}
      </div>
      <p role="status" className="visually-hidden">
        {status}
      </p>
    </div>
  );
}
