import type { CV, Mat } from './opencv.js';

/** The minimum-area rotated rectangle of one contour, measured along its long side. */
export interface ContourBox {
  cx: number;
  cy: number;
  long: number;
  short: number;
  /** Direction of the long side, degrees, −90 (excluded) to 90: which end comes first is open. */
  angle: number;
  /** Area of the contour itself: `area / (long × short)` is how well it fills its box. */
  area: number;
}

/** The rotated boxes of every contour (outer and inner, RETR_LIST) of a binary image. */
export function contourBoxes(cv: CV, binary: Mat, keep: <M extends { delete(): void }>(m: M) => M): ContourBox[] {
  const contours = keep(new cv.MatVector());
  const hierarchy = keep(new cv.Mat());
  cv.findContours(binary, contours, hierarchy, cv.RETR_LIST, cv.CHAIN_APPROX_SIMPLE);
  const boxes: ContourBox[] = [];
  for (let i = 0; i < contours.size(); i++) {
    const c = contours.get(i);
    const r = cv.minAreaRect(c);
    const area = cv.contourArea(c);
    c.delete();
    // OpenCV gives the angle of the `width` side; the height side runs at right angles to it
    const widthIsLong = r.size.width >= r.size.height;
    let angle = widthIsLong ? r.angle : r.angle - 90;
    if (angle > 90) angle -= 180;
    if (angle <= -90) angle += 180;
    boxes.push({
      cx: r.center.x,
      cy: r.center.y,
      long: widthIsLong ? r.size.width : r.size.height,
      short: widthIsLong ? r.size.height : r.size.width,
      angle,
      area,
    });
  }
  return boxes;
}
