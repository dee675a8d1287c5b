import type { ShortcutHelpItem } from './keyboard';

export interface ShortcutHelpProps {
  /** The island's class prefix: the line is `<prefix>-help`, its parts `<prefix>-help-title` and `<prefix>-help-item`. */
  prefix: string;
  items: readonly ShortcutHelpItem[];
}

/** The page's keys and what they do, in one line under the work area. */
export function ShortcutHelp({ prefix, items }: ShortcutHelpProps) {
  return (
    <p className={`${prefix}-help`}>
      <span className={`${prefix}-help-title`}>Keys:</span>{' '}
      {items.map(([keys, what]) => (
        <span key={keys} className={`${prefix}-help-item`}>
          <kbd>{keys}</kbd> {what}
        </span>
      ))}
    </p>
  );
}
