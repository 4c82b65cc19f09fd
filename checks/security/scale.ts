// The MDN HTTP Observatory's grade scale (src/grader/charts.js, GRADE_CHART), kept apart from grade.ts
// so the profile schema can name the grades without loading the grader.

export const GRADES = ['A+', 'A', 'A-', 'B+', 'B', 'B-', 'C+', 'C', 'C-', 'D+', 'D', 'D-', 'F'] as const;
export type Grade = (typeof GRADES)[number];

/** Lowest score of each grade: 100+ A+, 90 A, 85 A-, 80 B+, 70 B, 65 B-, 60 C+, 50 C, 45 C-, 40 D+, 30 D, 25 D-, else F. */
export const GRADE_FLOORS: Record<Grade, number> = {
  'A+': 100,
  A: 90,
  'A-': 85,
  'B+': 80,
  B: 70,
  'B-': 65,
  'C+': 60,
  C: 50,
  'C-': 45,
  'D+': 40,
  D: 30,
  'D-': 25,
  F: 0,
};

export function gradeOf(score: number): Grade {
  for (const g of GRADES) if (score >= GRADE_FLOORS[g]) return g;
  return 'F';
}

/** True when `g` is `min` or better. */
export function gradeAtLeast(g: Grade, min: Grade): boolean {
  return GRADES.indexOf(g) <= GRADES.indexOf(min);
}
