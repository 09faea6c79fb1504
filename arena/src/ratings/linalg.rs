//! The little dense linear algebra Bradley-Terry needs: Cholesky
//! factorisation of small symmetric positive definite matrices, solves and
//! inverses. Matrices are row-major `Vec<f64>` of `n * n`; players number in
//! the tens, so nothing here needs to be clever.

/// A lower-triangular Cholesky factor `L` with `A = L Lᵀ`.
pub struct Cholesky {
    /// The matrix order.
    n: usize,
    /// `L`, row-major, zero above the diagonal.
    l: Vec<f64>,
}

impl Cholesky {
    /// Factors `a` (row-major, `n * n`, symmetric); `None` unless it is
    /// positive definite (a pivot at or below `tolerance` times the largest
    /// diagonal entry counts as singular).
    pub fn new(a: &[f64], n: usize) -> Option<Self> {
        if a.len() != n * n {
            return None;
        }
        let scale = (0..n).map(|i| a[i * n + i].abs()).fold(0.0, f64::max);
        let tolerance = 1e-13 * scale.max(f64::MIN_POSITIVE);
        let mut l = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..=i {
                let mut sum = a[i * n + j];
                for k in 0..j {
                    sum -= l[i * n + k] * l[j * n + k];
                }
                if i == j {
                    if sum.is_nan() || sum <= tolerance {
                        return None;
                    }
                    l[i * n + i] = sum.sqrt();
                } else {
                    l[i * n + j] = sum / l[j * n + j];
                }
            }
        }
        Some(Self { n, l })
    }

    /// Solves `A x = b`.
    pub fn solve(&self, b: &[f64]) -> Vec<f64> {
        let n = self.n;
        let l = &self.l;
        let mut y = b.to_vec();
        for i in 0..n {
            for k in 0..i {
                y[i] -= l[i * n + k] * y[k];
            }
            y[i] /= l[i * n + i];
        }
        for i in (0..n).rev() {
            for k in i + 1..n {
                y[i] -= l[k * n + i] * y[k];
            }
            y[i] /= l[i * n + i];
        }
        y
    }

    /// `A⁻¹`, row-major.
    pub fn inverse(&self) -> Vec<f64> {
        let n = self.n;
        let mut inv = vec![0.0; n * n];
        let mut e = vec![0.0; n];
        for j in 0..n {
            e.iter_mut().for_each(|x| *x = 0.0);
            e[j] = 1.0;
            let col = self.solve(&e);
            for i in 0..n {
                inv[i * n + j] = col[i];
            }
        }
        inv
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_and_inverts() {
        let a = [4.0, 2.0, 0.6, 2.0, 5.0, 1.0, 0.6, 1.0, 3.0];
        let c = Cholesky::new(&a, 3).unwrap_or_else(|| panic!("positive definite"));
        let x = c.solve(&[1.0, 2.0, 3.0]);
        for i in 0..3 {
            let ax: f64 = (0..3).map(|k| a[i * 3 + k] * x[k]).sum();
            assert!((ax - [1.0, 2.0, 3.0][i]).abs() < 1e-12);
        }
        let inv = c.inverse();
        for i in 0..3 {
            for j in 0..3 {
                let p: f64 = (0..3).map(|k| a[i * 3 + k] * inv[k * 3 + j]).sum();
                assert!((p - f64::from(u8::from(i == j))).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn singular_is_none() {
        assert!(Cholesky::new(&[1.0, 1.0, 1.0, 1.0], 2).is_none());
        assert!(Cholesky::new(&[1.0, 2.0, 2.0, 1.0], 2).is_none());
        assert!(Cholesky::new(&[1.0], 2).is_none());
    }
}
