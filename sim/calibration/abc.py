"""Approximate Bayesian computation by sequential Monte Carlo, the population on the replicate axis.

ABC-SMC after Toni et al. (2009, *J. R. Soc. Interface* 6: 187) with the importance weights and
the perturbation kernel of Beaumont et al. (2009, *Biometrika* 96: 983):

    generation 0   theta_i ~ prior,  i = 1..n;  d_i = rho(simulate(theta_i), data)
                   eps_1 = the q-quantile of the d_i
    generation t   draw theta* from the previous particles by their weights, perturb it by
                   K_t = N(0, 2 Sigma_{t-1}) (Sigma: the weighted covariance of the previous
                   particles), keep it if the prior's density there is positive; simulate
                   whole batches at once and accept d <= eps_t until n particles are accepted;
                   w_i  propto  pi(theta_i) / sum_j w_j^{t-1} K_t(theta_i - theta_j^{t-1});
                   eps_{t+1} = the q-quantile of the accepted distances

``simulate`` evaluates a whole batch of parameter vectors in one call, which for flashpoint is one
run of the vectorised engine with the batch on the replicate axis (``vary=``): a generation costs a
few model runs, not thousands. Every draw comes from one ``numpy.random.Generator`` made from the
seed, and ``simulate`` gets the batch's number to seed its own runs, so a fit reproduces exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .priors import Prior


@dataclass
class Posterior:
    """The last generation of an ABC-SMC run.

    Attributes:
        names: the parameters' paths, in column order.
        particles: (n, k) accepted parameter vectors.
        weights: (n,) normalised importance weights.
        distances: (n,) their distances to the data.
        epsilons: the tolerance of each generation after the first.
        acceptance: the share of proposals accepted in each generation.
        simulations: how many parameter vectors were simulated in all.
    """

    names: list[str]
    particles: np.ndarray
    weights: np.ndarray
    distances: np.ndarray
    epsilons: list[float] = field(default_factory=list)
    acceptance: list[float] = field(default_factory=list)
    simulations: int = 0

    def mean(self) -> np.ndarray:
        """The posterior mean of each parameter."""
        return self.weights @ self.particles

    def sd(self) -> np.ndarray:
        """The posterior standard deviation of each parameter."""
        centred = self.particles - self.mean()
        return np.sqrt(self.weights @ centred ** 2)

    def effective_size(self) -> float:
        """Kish's effective sample size of the weights, 1 / sum w^2."""
        return float(1.0 / np.sum(self.weights ** 2))

    def resample(self, size: int, rng: np.random.Generator) -> np.ndarray:
        """``size`` equally weighted members by systematic resampling, (size, k)."""
        positions = (rng.random() + np.arange(size)) / size
        index = np.searchsorted(np.cumsum(self.weights), positions)
        return self.particles[np.minimum(index, len(self.particles) - 1)]


def _prior_density(priors: Sequence[Prior], theta: np.ndarray) -> np.ndarray:
    """The joint prior density (independent priors) of each row of ``theta``."""
    density = np.ones(len(theta))
    for j, prior in enumerate(priors):
        density *= prior.density(theta[:, j])
    return density


def abc_smc(simulate: Callable[[np.ndarray, int], np.ndarray], priors: Sequence[Prior],
            particles: int, generations: int, seed: int, quantile: float = 0.5,
            batch: int | None = None, max_simulations: int = 10_000_000) -> Posterior:
    """Fit ``priors`` to data by ABC-SMC (module docstring).

    Args:
        simulate: ``simulate(theta, batch_number)`` -> the distance of each row of ``theta``
            (m, k) to the data, (m,): one vectorised call a batch.
        priors: each parameter's prior (independent), in column order.
        particles: n, the population size.
        generations: generations after the first (each lowers the tolerance).
        seed: the root seed of every draw.
        quantile: q, the share of the previous distances the next tolerance keeps.
        batch: proposals simulated a call (default: ``particles``).
        max_simulations: stop a generation that has not filled its population by then.

    Raises:
        RuntimeError: a generation accepted too few particles within ``max_simulations``.
    """
    rng = np.random.default_rng(seed)
    k, n, batch = len(priors), int(particles), int(batch or particles)
    calls = 0
    theta = np.column_stack([p.sample(rng.random(n)) for p in priors])
    distance = np.asarray(simulate(theta, calls), dtype=float)
    calls += 1
    simulations = n
    weights = np.full(n, 1.0 / n)
    post = Posterior([p.path for p in priors], theta, weights, distance, simulations=n)
    for _ in range(generations):
        epsilon = float(np.quantile(post.distances, quantile))
        mean = post.weights @ post.particles
        centred = post.particles - mean
        cov = 2.0 * (centred.T * post.weights) @ centred
        cov += np.eye(k) * 1e-12 * max(float(np.abs(cov).max()), 1.0)
        chol = np.linalg.cholesky(cov)
        accepted: list[np.ndarray] = []
        accepted_d: list[np.ndarray] = []
        tried = 0
        while sum(len(a) for a in accepted) < n:
            if tried >= max_simulations:
                raise RuntimeError(f"ABC-SMC: fewer than {n} particles within eps {epsilon:g} "
                                   f"after {tried:,} simulations")
            parents = post.particles[rng.choice(n, size=batch, p=post.weights)]
            proposal = parents + rng.standard_normal((batch, k)) @ chol.T
            proposal = proposal[_prior_density(priors, proposal) > 0.0]
            if not len(proposal):
                continue
            d = np.asarray(simulate(proposal, calls), dtype=float)
            calls += 1
            tried += len(proposal)
            keep = d <= epsilon
            accepted.append(proposal[keep])
            accepted_d.append(d[keep])
        simulations += tried
        theta = np.concatenate(accepted)[:n]
        distance = np.concatenate(accepted_d)[:n]
        inverse = np.linalg.inv(cov)
        diff = theta[:, None, :] - post.particles[None, :, :]
        kernel = np.exp(-0.5 * np.einsum("ijk,kl,ijl->ij", diff, inverse, diff))
        weights = _prior_density(priors, theta) / (kernel @ post.weights)
        weights /= weights.sum()
        post = Posterior(post.names, theta, weights, distance,
                         epsilons=[*post.epsilons, epsilon],
                         acceptance=[*post.acceptance, n / tried], simulations=simulations)
    return post
