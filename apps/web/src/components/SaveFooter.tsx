import ui from './ui.module.css';
import styles from './save-footer.module.css';

/**
 * A settings form's footer: its submit button (off while the change is sent), the status that says it
 * was saved, and the server's refusal. The status is always there, empty until saved, so that screen
 * readers announce the text when it comes. The texts are the form's own (en and ko in the catalogue).
 */
export function SaveFooter({
  label,
  busy,
  saved,
  error,
}: {
  label: string;
  busy: boolean;
  saved: string | null;
  error: string | null;
}) {
  return (
    <>
      <div className={styles.buttons}>
        <button type="submit" className={styles.button} disabled={busy}>
          {label}
        </button>
        <span role="status">{saved}</span>
      </div>
      {error ? (
        <p role="alert" className={ui.alert}>
          {error}
        </p>
      ) : null}
    </>
  );
}
