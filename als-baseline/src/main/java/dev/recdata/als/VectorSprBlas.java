package dev.recdata.als;

import dev.ludovic.netlib.blas.BLAS;
import org.netlib.util.doubleW;
import org.netlib.util.floatW;

/**
 * MLlib's BLAS with {@code dspr}, the packed rank-one update ALS makes for every rating in every
 * half-iteration, on the Java Vector API ({@link PackedRankOneUpdate}); every other routine is the
 * BLAS it wraps. netlib-java's Java path vectorises many routines but not {@code dspr}, which runs
 * F2J's scalar loop (2.4x slower than this one at rank 32; submit/bench/ANALYSIS.md). The update of
 * each packed element is the same multiply and add in the same order, so the factors are bit for
 * bit the ones the wrapped BLAS computes ({@code VectorSprBlasTest}).
 *
 * <p>The delegating methods are generated, one per abstract method of netlib-java 3.0.4's {@code
 * BLAS} interface in the order {@code javap -cp blas-3.0.4.jar dev.ludovic.netlib.blas.BLAS} lists
 * them, each {@code return delegate.m(a0, a1, ...)}; a newer netlib-java that adds a method fails
 * this class's compilation rather than running without it.
 */
final class VectorSprBlas implements BLAS {
  private final BLAS delegate;

  VectorSprBlas(BLAS delegate) {
    this.delegate = delegate;
  }

  @Override
  public void dspr(String uplo, int n, double alpha, double[] x, int incx, double[] ap) {
    dspr(uplo, n, alpha, x, 0, incx, ap, 0);
  }

  @Override
  public void dspr(
      String uplo,
      int n,
      double alpha,
      double[] x,
      int offsetx,
      int incx,
      double[] ap,
      int offsetap) {
    if (incx == 1
        && n >= 0
        && "U".equalsIgnoreCase(uplo)
        && offsetx >= 0
        && offsetap >= 0
        && offsetx + n <= x.length
        && offsetap + (long) n * (n + 1) / 2 <= ap.length) {
      PackedRankOneUpdate.upper(n, alpha, x, offsetx, ap, offsetap);
    } else {
      // lower triangles, strides and bad arguments: the wrapped BLAS's loop and its checks
      delegate.dspr(uplo, n, alpha, x, offsetx, incx, ap, offsetap);
    }
  }

  @Override
  public double dasum(int a0, double[] a1, int a2) {
    return delegate.dasum(a0, a1, a2);
  }

  @Override
  public double dasum(int a0, double[] a1, int a2, int a3) {
    return delegate.dasum(a0, a1, a2, a3);
  }

  @Override
  public float sasum(int a0, float[] a1, int a2) {
    return delegate.sasum(a0, a1, a2);
  }

  @Override
  public float sasum(int a0, float[] a1, int a2, int a3) {
    return delegate.sasum(a0, a1, a2, a3);
  }

  @Override
  public void daxpy(int a0, double a1, double[] a2, int a3, double[] a4, int a5) {
    delegate.daxpy(a0, a1, a2, a3, a4, a5);
  }

  @Override
  public void daxpy(int a0, double a1, double[] a2, int a3, int a4, double[] a5, int a6, int a7) {
    delegate.daxpy(a0, a1, a2, a3, a4, a5, a6, a7);
  }

  @Override
  public void saxpy(int a0, float a1, float[] a2, int a3, float[] a4, int a5) {
    delegate.saxpy(a0, a1, a2, a3, a4, a5);
  }

  @Override
  public void saxpy(int a0, float a1, float[] a2, int a3, int a4, float[] a5, int a6, int a7) {
    delegate.saxpy(a0, a1, a2, a3, a4, a5, a6, a7);
  }

  @Override
  public void dcopy(int a0, double[] a1, int a2, double[] a3, int a4) {
    delegate.dcopy(a0, a1, a2, a3, a4);
  }

  @Override
  public void dcopy(int a0, double[] a1, int a2, int a3, double[] a4, int a5, int a6) {
    delegate.dcopy(a0, a1, a2, a3, a4, a5, a6);
  }

  @Override
  public void scopy(int a0, float[] a1, int a2, float[] a3, int a4) {
    delegate.scopy(a0, a1, a2, a3, a4);
  }

  @Override
  public void scopy(int a0, float[] a1, int a2, int a3, float[] a4, int a5, int a6) {
    delegate.scopy(a0, a1, a2, a3, a4, a5, a6);
  }

  @Override
  public double ddot(int a0, double[] a1, int a2, double[] a3, int a4) {
    return delegate.ddot(a0, a1, a2, a3, a4);
  }

  @Override
  public double ddot(int a0, double[] a1, int a2, int a3, double[] a4, int a5, int a6) {
    return delegate.ddot(a0, a1, a2, a3, a4, a5, a6);
  }

  @Override
  public float sdot(int a0, float[] a1, int a2, float[] a3, int a4) {
    return delegate.sdot(a0, a1, a2, a3, a4);
  }

  @Override
  public float sdot(int a0, float[] a1, int a2, int a3, float[] a4, int a5, int a6) {
    return delegate.sdot(a0, a1, a2, a3, a4, a5, a6);
  }

  @Override
  public float sdsdot(int a0, float a1, float[] a2, int a3, float[] a4, int a5) {
    return delegate.sdsdot(a0, a1, a2, a3, a4, a5);
  }

  @Override
  public float sdsdot(int a0, float a1, float[] a2, int a3, int a4, float[] a5, int a6, int a7) {
    return delegate.sdsdot(a0, a1, a2, a3, a4, a5, a6, a7);
  }

  @Override
  public void dgbmv(
      java.lang.String a0,
      int a1,
      int a2,
      int a3,
      int a4,
      double a5,
      double[] a6,
      int a7,
      double[] a8,
      int a9,
      double a10,
      double[] a11,
      int a12) {
    delegate.dgbmv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12);
  }

  @Override
  public void dgbmv(
      java.lang.String a0,
      int a1,
      int a2,
      int a3,
      int a4,
      double a5,
      double[] a6,
      int a7,
      int a8,
      double[] a9,
      int a10,
      int a11,
      double a12,
      double[] a13,
      int a14,
      int a15) {
    delegate.dgbmv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15);
  }

  @Override
  public void sgbmv(
      java.lang.String a0,
      int a1,
      int a2,
      int a3,
      int a4,
      float a5,
      float[] a6,
      int a7,
      float[] a8,
      int a9,
      float a10,
      float[] a11,
      int a12) {
    delegate.sgbmv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12);
  }

  @Override
  public void sgbmv(
      java.lang.String a0,
      int a1,
      int a2,
      int a3,
      int a4,
      float a5,
      float[] a6,
      int a7,
      int a8,
      float[] a9,
      int a10,
      int a11,
      float a12,
      float[] a13,
      int a14,
      int a15) {
    delegate.sgbmv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15);
  }

  @Override
  public void dgemm(
      java.lang.String a0,
      java.lang.String a1,
      int a2,
      int a3,
      int a4,
      double a5,
      double[] a6,
      int a7,
      double[] a8,
      int a9,
      double a10,
      double[] a11,
      int a12) {
    delegate.dgemm(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12);
  }

  @Override
  public void dgemm(
      java.lang.String a0,
      java.lang.String a1,
      int a2,
      int a3,
      int a4,
      double a5,
      double[] a6,
      int a7,
      int a8,
      double[] a9,
      int a10,
      int a11,
      double a12,
      double[] a13,
      int a14,
      int a15) {
    delegate.dgemm(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15);
  }

  @Override
  public void sgemm(
      java.lang.String a0,
      java.lang.String a1,
      int a2,
      int a3,
      int a4,
      float a5,
      float[] a6,
      int a7,
      float[] a8,
      int a9,
      float a10,
      float[] a11,
      int a12) {
    delegate.sgemm(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12);
  }

  @Override
  public void sgemm(
      java.lang.String a0,
      java.lang.String a1,
      int a2,
      int a3,
      int a4,
      float a5,
      float[] a6,
      int a7,
      int a8,
      float[] a9,
      int a10,
      int a11,
      float a12,
      float[] a13,
      int a14,
      int a15) {
    delegate.sgemm(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15);
  }

  @Override
  public void dgemv(
      java.lang.String a0,
      int a1,
      int a2,
      double a3,
      double[] a4,
      int a5,
      double[] a6,
      int a7,
      double a8,
      double[] a9,
      int a10) {
    delegate.dgemv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
  }

  @Override
  public void dgemv(
      java.lang.String a0,
      int a1,
      int a2,
      double a3,
      double[] a4,
      int a5,
      int a6,
      double[] a7,
      int a8,
      int a9,
      double a10,
      double[] a11,
      int a12,
      int a13) {
    delegate.dgemv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13);
  }

  @Override
  public void sgemv(
      java.lang.String a0,
      int a1,
      int a2,
      float a3,
      float[] a4,
      int a5,
      float[] a6,
      int a7,
      float a8,
      float[] a9,
      int a10) {
    delegate.sgemv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
  }

  @Override
  public void sgemv(
      java.lang.String a0,
      int a1,
      int a2,
      float a3,
      float[] a4,
      int a5,
      int a6,
      float[] a7,
      int a8,
      int a9,
      float a10,
      float[] a11,
      int a12,
      int a13) {
    delegate.sgemv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13);
  }

  @Override
  public void dger(
      int a0, int a1, double a2, double[] a3, int a4, double[] a5, int a6, double[] a7, int a8) {
    delegate.dger(a0, a1, a2, a3, a4, a5, a6, a7, a8);
  }

  @Override
  public void dger(
      int a0,
      int a1,
      double a2,
      double[] a3,
      int a4,
      int a5,
      double[] a6,
      int a7,
      int a8,
      double[] a9,
      int a10,
      int a11) {
    delegate.dger(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
  }

  @Override
  public void sger(
      int a0, int a1, float a2, float[] a3, int a4, float[] a5, int a6, float[] a7, int a8) {
    delegate.sger(a0, a1, a2, a3, a4, a5, a6, a7, a8);
  }

  @Override
  public void sger(
      int a0,
      int a1,
      float a2,
      float[] a3,
      int a4,
      int a5,
      float[] a6,
      int a7,
      int a8,
      float[] a9,
      int a10,
      int a11) {
    delegate.sger(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
  }

  @Override
  public double dnrm2(int a0, double[] a1, int a2) {
    return delegate.dnrm2(a0, a1, a2);
  }

  @Override
  public double dnrm2(int a0, double[] a1, int a2, int a3) {
    return delegate.dnrm2(a0, a1, a2, a3);
  }

  @Override
  public float snrm2(int a0, float[] a1, int a2) {
    return delegate.snrm2(a0, a1, a2);
  }

  @Override
  public float snrm2(int a0, float[] a1, int a2, int a3) {
    return delegate.snrm2(a0, a1, a2, a3);
  }

  @Override
  public void drot(int a0, double[] a1, int a2, double[] a3, int a4, double a5, double a6) {
    delegate.drot(a0, a1, a2, a3, a4, a5, a6);
  }

  @Override
  public void drot(
      int a0, double[] a1, int a2, int a3, double[] a4, int a5, int a6, double a7, double a8) {
    delegate.drot(a0, a1, a2, a3, a4, a5, a6, a7, a8);
  }

  @Override
  public void srot(int a0, float[] a1, int a2, float[] a3, int a4, float a5, float a6) {
    delegate.srot(a0, a1, a2, a3, a4, a5, a6);
  }

  @Override
  public void srot(
      int a0, float[] a1, int a2, int a3, float[] a4, int a5, int a6, float a7, float a8) {
    delegate.srot(a0, a1, a2, a3, a4, a5, a6, a7, a8);
  }

  @Override
  public void drotg(doubleW a0, doubleW a1, doubleW a2, doubleW a3) {
    delegate.drotg(a0, a1, a2, a3);
  }

  @Override
  public void srotg(floatW a0, floatW a1, floatW a2, floatW a3) {
    delegate.srotg(a0, a1, a2, a3);
  }

  @Override
  public void drotm(int a0, double[] a1, int a2, double[] a3, int a4, double[] a5) {
    delegate.drotm(a0, a1, a2, a3, a4, a5);
  }

  @Override
  public void drotm(
      int a0, double[] a1, int a2, int a3, double[] a4, int a5, int a6, double[] a7, int a8) {
    delegate.drotm(a0, a1, a2, a3, a4, a5, a6, a7, a8);
  }

  @Override
  public void srotm(int a0, float[] a1, int a2, float[] a3, int a4, float[] a5) {
    delegate.srotm(a0, a1, a2, a3, a4, a5);
  }

  @Override
  public void srotm(
      int a0, float[] a1, int a2, int a3, float[] a4, int a5, int a6, float[] a7, int a8) {
    delegate.srotm(a0, a1, a2, a3, a4, a5, a6, a7, a8);
  }

  @Override
  public void drotmg(doubleW a0, doubleW a1, doubleW a2, double a3, double[] a4) {
    delegate.drotmg(a0, a1, a2, a3, a4);
  }

  @Override
  public void drotmg(doubleW a0, doubleW a1, doubleW a2, double a3, double[] a4, int a5) {
    delegate.drotmg(a0, a1, a2, a3, a4, a5);
  }

  @Override
  public void srotmg(floatW a0, floatW a1, floatW a2, float a3, float[] a4) {
    delegate.srotmg(a0, a1, a2, a3, a4);
  }

  @Override
  public void srotmg(floatW a0, floatW a1, floatW a2, float a3, float[] a4, int a5) {
    delegate.srotmg(a0, a1, a2, a3, a4, a5);
  }

  @Override
  public void dsbmv(
      java.lang.String a0,
      int a1,
      int a2,
      double a3,
      double[] a4,
      int a5,
      double[] a6,
      int a7,
      double a8,
      double[] a9,
      int a10) {
    delegate.dsbmv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
  }

  @Override
  public void dsbmv(
      java.lang.String a0,
      int a1,
      int a2,
      double a3,
      double[] a4,
      int a5,
      int a6,
      double[] a7,
      int a8,
      int a9,
      double a10,
      double[] a11,
      int a12,
      int a13) {
    delegate.dsbmv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13);
  }

  @Override
  public void ssbmv(
      java.lang.String a0,
      int a1,
      int a2,
      float a3,
      float[] a4,
      int a5,
      float[] a6,
      int a7,
      float a8,
      float[] a9,
      int a10) {
    delegate.ssbmv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
  }

  @Override
  public void ssbmv(
      java.lang.String a0,
      int a1,
      int a2,
      float a3,
      float[] a4,
      int a5,
      int a6,
      float[] a7,
      int a8,
      int a9,
      float a10,
      float[] a11,
      int a12,
      int a13) {
    delegate.ssbmv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13);
  }

  @Override
  public void dscal(int a0, double a1, double[] a2, int a3) {
    delegate.dscal(a0, a1, a2, a3);
  }

  @Override
  public void dscal(int a0, double a1, double[] a2, int a3, int a4) {
    delegate.dscal(a0, a1, a2, a3, a4);
  }

  @Override
  public void sscal(int a0, float a1, float[] a2, int a3) {
    delegate.sscal(a0, a1, a2, a3);
  }

  @Override
  public void sscal(int a0, float a1, float[] a2, int a3, int a4) {
    delegate.sscal(a0, a1, a2, a3, a4);
  }

  @Override
  public void dspmv(
      java.lang.String a0,
      int a1,
      double a2,
      double[] a3,
      double[] a4,
      int a5,
      double a6,
      double[] a7,
      int a8) {
    delegate.dspmv(a0, a1, a2, a3, a4, a5, a6, a7, a8);
  }

  @Override
  public void dspmv(
      java.lang.String a0,
      int a1,
      double a2,
      double[] a3,
      int a4,
      double[] a5,
      int a6,
      int a7,
      double a8,
      double[] a9,
      int a10,
      int a11) {
    delegate.dspmv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
  }

  @Override
  public void sspmv(
      java.lang.String a0,
      int a1,
      float a2,
      float[] a3,
      float[] a4,
      int a5,
      float a6,
      float[] a7,
      int a8) {
    delegate.sspmv(a0, a1, a2, a3, a4, a5, a6, a7, a8);
  }

  @Override
  public void sspmv(
      java.lang.String a0,
      int a1,
      float a2,
      float[] a3,
      int a4,
      float[] a5,
      int a6,
      int a7,
      float a8,
      float[] a9,
      int a10,
      int a11) {
    delegate.sspmv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
  }

  @Override
  public void sspr(java.lang.String a0, int a1, float a2, float[] a3, int a4, float[] a5) {
    delegate.sspr(a0, a1, a2, a3, a4, a5);
  }

  @Override
  public void sspr(
      java.lang.String a0, int a1, float a2, float[] a3, int a4, int a5, float[] a6, int a7) {
    delegate.sspr(a0, a1, a2, a3, a4, a5, a6, a7);
  }

  @Override
  public void dspr2(
      java.lang.String a0,
      int a1,
      double a2,
      double[] a3,
      int a4,
      double[] a5,
      int a6,
      double[] a7) {
    delegate.dspr2(a0, a1, a2, a3, a4, a5, a6, a7);
  }

  @Override
  public void dspr2(
      java.lang.String a0,
      int a1,
      double a2,
      double[] a3,
      int a4,
      int a5,
      double[] a6,
      int a7,
      int a8,
      double[] a9,
      int a10) {
    delegate.dspr2(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
  }

  @Override
  public void sspr2(
      java.lang.String a0, int a1, float a2, float[] a3, int a4, float[] a5, int a6, float[] a7) {
    delegate.sspr2(a0, a1, a2, a3, a4, a5, a6, a7);
  }

  @Override
  public void sspr2(
      java.lang.String a0,
      int a1,
      float a2,
      float[] a3,
      int a4,
      int a5,
      float[] a6,
      int a7,
      int a8,
      float[] a9,
      int a10) {
    delegate.sspr2(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
  }

  @Override
  public void dswap(int a0, double[] a1, int a2, double[] a3, int a4) {
    delegate.dswap(a0, a1, a2, a3, a4);
  }

  @Override
  public void dswap(int a0, double[] a1, int a2, int a3, double[] a4, int a5, int a6) {
    delegate.dswap(a0, a1, a2, a3, a4, a5, a6);
  }

  @Override
  public void sswap(int a0, float[] a1, int a2, float[] a3, int a4) {
    delegate.sswap(a0, a1, a2, a3, a4);
  }

  @Override
  public void sswap(int a0, float[] a1, int a2, int a3, float[] a4, int a5, int a6) {
    delegate.sswap(a0, a1, a2, a3, a4, a5, a6);
  }

  @Override
  public void dsymm(
      java.lang.String a0,
      java.lang.String a1,
      int a2,
      int a3,
      double a4,
      double[] a5,
      int a6,
      double[] a7,
      int a8,
      double a9,
      double[] a10,
      int a11) {
    delegate.dsymm(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
  }

  @Override
  public void dsymm(
      java.lang.String a0,
      java.lang.String a1,
      int a2,
      int a3,
      double a4,
      double[] a5,
      int a6,
      int a7,
      double[] a8,
      int a9,
      int a10,
      double a11,
      double[] a12,
      int a13,
      int a14) {
    delegate.dsymm(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14);
  }

  @Override
  public void ssymm(
      java.lang.String a0,
      java.lang.String a1,
      int a2,
      int a3,
      float a4,
      float[] a5,
      int a6,
      float[] a7,
      int a8,
      float a9,
      float[] a10,
      int a11) {
    delegate.ssymm(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
  }

  @Override
  public void ssymm(
      java.lang.String a0,
      java.lang.String a1,
      int a2,
      int a3,
      float a4,
      float[] a5,
      int a6,
      int a7,
      float[] a8,
      int a9,
      int a10,
      float a11,
      float[] a12,
      int a13,
      int a14) {
    delegate.ssymm(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14);
  }

  @Override
  public void dsymv(
      java.lang.String a0,
      int a1,
      double a2,
      double[] a3,
      int a4,
      double[] a5,
      int a6,
      double a7,
      double[] a8,
      int a9) {
    delegate.dsymv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9);
  }

  @Override
  public void dsymv(
      java.lang.String a0,
      int a1,
      double a2,
      double[] a3,
      int a4,
      int a5,
      double[] a6,
      int a7,
      int a8,
      double a9,
      double[] a10,
      int a11,
      int a12) {
    delegate.dsymv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12);
  }

  @Override
  public void ssymv(
      java.lang.String a0,
      int a1,
      float a2,
      float[] a3,
      int a4,
      float[] a5,
      int a6,
      float a7,
      float[] a8,
      int a9) {
    delegate.ssymv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9);
  }

  @Override
  public void ssymv(
      java.lang.String a0,
      int a1,
      float a2,
      float[] a3,
      int a4,
      int a5,
      float[] a6,
      int a7,
      int a8,
      float a9,
      float[] a10,
      int a11,
      int a12) {
    delegate.ssymv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12);
  }

  @Override
  public void dsyr(
      java.lang.String a0, int a1, double a2, double[] a3, int a4, double[] a5, int a6) {
    delegate.dsyr(a0, a1, a2, a3, a4, a5, a6);
  }

  @Override
  public void dsyr(
      java.lang.String a0,
      int a1,
      double a2,
      double[] a3,
      int a4,
      int a5,
      double[] a6,
      int a7,
      int a8) {
    delegate.dsyr(a0, a1, a2, a3, a4, a5, a6, a7, a8);
  }

  @Override
  public void ssyr(java.lang.String a0, int a1, float a2, float[] a3, int a4, float[] a5, int a6) {
    delegate.ssyr(a0, a1, a2, a3, a4, a5, a6);
  }

  @Override
  public void ssyr(
      java.lang.String a0,
      int a1,
      float a2,
      float[] a3,
      int a4,
      int a5,
      float[] a6,
      int a7,
      int a8) {
    delegate.ssyr(a0, a1, a2, a3, a4, a5, a6, a7, a8);
  }

  @Override
  public void dsyr2(
      java.lang.String a0,
      int a1,
      double a2,
      double[] a3,
      int a4,
      double[] a5,
      int a6,
      double[] a7,
      int a8) {
    delegate.dsyr2(a0, a1, a2, a3, a4, a5, a6, a7, a8);
  }

  @Override
  public void dsyr2(
      java.lang.String a0,
      int a1,
      double a2,
      double[] a3,
      int a4,
      int a5,
      double[] a6,
      int a7,
      int a8,
      double[] a9,
      int a10,
      int a11) {
    delegate.dsyr2(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
  }

  @Override
  public void ssyr2(
      java.lang.String a0,
      int a1,
      float a2,
      float[] a3,
      int a4,
      float[] a5,
      int a6,
      float[] a7,
      int a8) {
    delegate.ssyr2(a0, a1, a2, a3, a4, a5, a6, a7, a8);
  }

  @Override
  public void ssyr2(
      java.lang.String a0,
      int a1,
      float a2,
      float[] a3,
      int a4,
      int a5,
      float[] a6,
      int a7,
      int a8,
      float[] a9,
      int a10,
      int a11) {
    delegate.ssyr2(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
  }

  @Override
  public void dsyr2k(
      java.lang.String a0,
      java.lang.String a1,
      int a2,
      int a3,
      double a4,
      double[] a5,
      int a6,
      double[] a7,
      int a8,
      double a9,
      double[] a10,
      int a11) {
    delegate.dsyr2k(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
  }

  @Override
  public void dsyr2k(
      java.lang.String a0,
      java.lang.String a1,
      int a2,
      int a3,
      double a4,
      double[] a5,
      int a6,
      int a7,
      double[] a8,
      int a9,
      int a10,
      double a11,
      double[] a12,
      int a13,
      int a14) {
    delegate.dsyr2k(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14);
  }

  @Override
  public void ssyr2k(
      java.lang.String a0,
      java.lang.String a1,
      int a2,
      int a3,
      float a4,
      float[] a5,
      int a6,
      float[] a7,
      int a8,
      float a9,
      float[] a10,
      int a11) {
    delegate.ssyr2k(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
  }

  @Override
  public void ssyr2k(
      java.lang.String a0,
      java.lang.String a1,
      int a2,
      int a3,
      float a4,
      float[] a5,
      int a6,
      int a7,
      float[] a8,
      int a9,
      int a10,
      float a11,
      float[] a12,
      int a13,
      int a14) {
    delegate.ssyr2k(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14);
  }

  @Override
  public void dsyrk(
      java.lang.String a0,
      java.lang.String a1,
      int a2,
      int a3,
      double a4,
      double[] a5,
      int a6,
      double a7,
      double[] a8,
      int a9) {
    delegate.dsyrk(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9);
  }

  @Override
  public void dsyrk(
      java.lang.String a0,
      java.lang.String a1,
      int a2,
      int a3,
      double a4,
      double[] a5,
      int a6,
      int a7,
      double a8,
      double[] a9,
      int a10,
      int a11) {
    delegate.dsyrk(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
  }

  @Override
  public void ssyrk(
      java.lang.String a0,
      java.lang.String a1,
      int a2,
      int a3,
      float a4,
      float[] a5,
      int a6,
      float a7,
      float[] a8,
      int a9) {
    delegate.ssyrk(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9);
  }

  @Override
  public void ssyrk(
      java.lang.String a0,
      java.lang.String a1,
      int a2,
      int a3,
      float a4,
      float[] a5,
      int a6,
      int a7,
      float a8,
      float[] a9,
      int a10,
      int a11) {
    delegate.ssyrk(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
  }

  @Override
  public void dtbmv(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      int a3,
      int a4,
      double[] a5,
      int a6,
      double[] a7,
      int a8) {
    delegate.dtbmv(a0, a1, a2, a3, a4, a5, a6, a7, a8);
  }

  @Override
  public void dtbmv(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      int a3,
      int a4,
      double[] a5,
      int a6,
      int a7,
      double[] a8,
      int a9,
      int a10) {
    delegate.dtbmv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
  }

  @Override
  public void stbmv(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      int a3,
      int a4,
      float[] a5,
      int a6,
      float[] a7,
      int a8) {
    delegate.stbmv(a0, a1, a2, a3, a4, a5, a6, a7, a8);
  }

  @Override
  public void stbmv(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      int a3,
      int a4,
      float[] a5,
      int a6,
      int a7,
      float[] a8,
      int a9,
      int a10) {
    delegate.stbmv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
  }

  @Override
  public void dtbsv(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      int a3,
      int a4,
      double[] a5,
      int a6,
      double[] a7,
      int a8) {
    delegate.dtbsv(a0, a1, a2, a3, a4, a5, a6, a7, a8);
  }

  @Override
  public void dtbsv(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      int a3,
      int a4,
      double[] a5,
      int a6,
      int a7,
      double[] a8,
      int a9,
      int a10) {
    delegate.dtbsv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
  }

  @Override
  public void stbsv(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      int a3,
      int a4,
      float[] a5,
      int a6,
      float[] a7,
      int a8) {
    delegate.stbsv(a0, a1, a2, a3, a4, a5, a6, a7, a8);
  }

  @Override
  public void stbsv(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      int a3,
      int a4,
      float[] a5,
      int a6,
      int a7,
      float[] a8,
      int a9,
      int a10) {
    delegate.stbsv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
  }

  @Override
  public void dtpmv(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      int a3,
      double[] a4,
      double[] a5,
      int a6) {
    delegate.dtpmv(a0, a1, a2, a3, a4, a5, a6);
  }

  @Override
  public void dtpmv(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      int a3,
      double[] a4,
      int a5,
      double[] a6,
      int a7,
      int a8) {
    delegate.dtpmv(a0, a1, a2, a3, a4, a5, a6, a7, a8);
  }

  @Override
  public void stpmv(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      int a3,
      float[] a4,
      float[] a5,
      int a6) {
    delegate.stpmv(a0, a1, a2, a3, a4, a5, a6);
  }

  @Override
  public void stpmv(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      int a3,
      float[] a4,
      int a5,
      float[] a6,
      int a7,
      int a8) {
    delegate.stpmv(a0, a1, a2, a3, a4, a5, a6, a7, a8);
  }

  @Override
  public void dtpsv(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      int a3,
      double[] a4,
      double[] a5,
      int a6) {
    delegate.dtpsv(a0, a1, a2, a3, a4, a5, a6);
  }

  @Override
  public void dtpsv(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      int a3,
      double[] a4,
      int a5,
      double[] a6,
      int a7,
      int a8) {
    delegate.dtpsv(a0, a1, a2, a3, a4, a5, a6, a7, a8);
  }

  @Override
  public void stpsv(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      int a3,
      float[] a4,
      float[] a5,
      int a6) {
    delegate.stpsv(a0, a1, a2, a3, a4, a5, a6);
  }

  @Override
  public void stpsv(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      int a3,
      float[] a4,
      int a5,
      float[] a6,
      int a7,
      int a8) {
    delegate.stpsv(a0, a1, a2, a3, a4, a5, a6, a7, a8);
  }

  @Override
  public void dtrmm(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      java.lang.String a3,
      int a4,
      int a5,
      double a6,
      double[] a7,
      int a8,
      double[] a9,
      int a10) {
    delegate.dtrmm(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
  }

  @Override
  public void dtrmm(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      java.lang.String a3,
      int a4,
      int a5,
      double a6,
      double[] a7,
      int a8,
      int a9,
      double[] a10,
      int a11,
      int a12) {
    delegate.dtrmm(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12);
  }

  @Override
  public void strmm(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      java.lang.String a3,
      int a4,
      int a5,
      float a6,
      float[] a7,
      int a8,
      float[] a9,
      int a10) {
    delegate.strmm(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
  }

  @Override
  public void strmm(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      java.lang.String a3,
      int a4,
      int a5,
      float a6,
      float[] a7,
      int a8,
      int a9,
      float[] a10,
      int a11,
      int a12) {
    delegate.strmm(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12);
  }

  @Override
  public void dtrmv(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      int a3,
      double[] a4,
      int a5,
      double[] a6,
      int a7) {
    delegate.dtrmv(a0, a1, a2, a3, a4, a5, a6, a7);
  }

  @Override
  public void dtrmv(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      int a3,
      double[] a4,
      int a5,
      int a6,
      double[] a7,
      int a8,
      int a9) {
    delegate.dtrmv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9);
  }

  @Override
  public void strmv(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      int a3,
      float[] a4,
      int a5,
      float[] a6,
      int a7) {
    delegate.strmv(a0, a1, a2, a3, a4, a5, a6, a7);
  }

  @Override
  public void strmv(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      int a3,
      float[] a4,
      int a5,
      int a6,
      float[] a7,
      int a8,
      int a9) {
    delegate.strmv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9);
  }

  @Override
  public void dtrsm(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      java.lang.String a3,
      int a4,
      int a5,
      double a6,
      double[] a7,
      int a8,
      double[] a9,
      int a10) {
    delegate.dtrsm(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
  }

  @Override
  public void dtrsm(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      java.lang.String a3,
      int a4,
      int a5,
      double a6,
      double[] a7,
      int a8,
      int a9,
      double[] a10,
      int a11,
      int a12) {
    delegate.dtrsm(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12);
  }

  @Override
  public void strsm(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      java.lang.String a3,
      int a4,
      int a5,
      float a6,
      float[] a7,
      int a8,
      float[] a9,
      int a10) {
    delegate.strsm(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
  }

  @Override
  public void strsm(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      java.lang.String a3,
      int a4,
      int a5,
      float a6,
      float[] a7,
      int a8,
      int a9,
      float[] a10,
      int a11,
      int a12) {
    delegate.strsm(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12);
  }

  @Override
  public void dtrsv(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      int a3,
      double[] a4,
      int a5,
      double[] a6,
      int a7) {
    delegate.dtrsv(a0, a1, a2, a3, a4, a5, a6, a7);
  }

  @Override
  public void dtrsv(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      int a3,
      double[] a4,
      int a5,
      int a6,
      double[] a7,
      int a8,
      int a9) {
    delegate.dtrsv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9);
  }

  @Override
  public void strsv(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      int a3,
      float[] a4,
      int a5,
      float[] a6,
      int a7) {
    delegate.strsv(a0, a1, a2, a3, a4, a5, a6, a7);
  }

  @Override
  public void strsv(
      java.lang.String a0,
      java.lang.String a1,
      java.lang.String a2,
      int a3,
      float[] a4,
      int a5,
      int a6,
      float[] a7,
      int a8,
      int a9) {
    delegate.strsv(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9);
  }

  @Override
  public int idamax(int a0, double[] a1, int a2) {
    return delegate.idamax(a0, a1, a2);
  }

  @Override
  public int idamax(int a0, double[] a1, int a2, int a3) {
    return delegate.idamax(a0, a1, a2, a3);
  }

  @Override
  public int isamax(int a0, float[] a1, int a2) {
    return delegate.isamax(a0, a1, a2);
  }

  @Override
  public int isamax(int a0, float[] a1, int a2, int a3) {
    return delegate.isamax(a0, a1, a2, a3);
  }

  @Override
  public boolean lsame(java.lang.String a0, java.lang.String a1) {
    return delegate.lsame(a0, a1);
  }
}
